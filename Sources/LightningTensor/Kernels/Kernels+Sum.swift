/// Vectorized sums (FP addition is not reassociated by the compiler, so a plain loop runs
/// one add at a time; eight SIMD lanes break that dependency chain).
extension Kernels {
    /// `Σ x[0..<count]`.
    @inline(__always)
    static func sum(_ x: UnsafePointer<Float>, _ count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i &+ 8 <= count {
            acc += raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        var total = acc.sum()
        while i < count { total += x[i]; i &+= 1 }
        return total
    }
}
