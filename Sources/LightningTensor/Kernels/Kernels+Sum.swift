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

    /// Copies `n` floats. Image rows are short (7–30 floats), where a memcpy call costs more
    /// than the copy: eight-lane blocks, the last one overlapping the previous when `n` is not
    /// a multiple of 8.
    @inline(__always)
    static func copyRow(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
        if n < 8 {
            for i in 0..<n { dst[i] = src[i] }
            return
        }
        let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(dst)
        var i = 0
        while i &+ 8 <= n {
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self), toByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        if i < n {
            let last = (n &- 8) &* 4
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: last, as: SIMD8<Float>.self), toByteOffset: last, as: SIMD8<Float>.self)
        }
    }

    /// `dst[i] += src[i]` for `n` floats, eight lanes at a time.
    @inline(__always)
    static func addRow(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
        let from = UnsafeRawPointer(src), to = UnsafeMutableRawPointer(dst)
        var i = 0
        while i &+ 8 <= n {
            let sum = to.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                + from.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
            to.storeBytes(of: sum, toByteOffset: i &* 4, as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < n { dst[i] += src[i]; i &+= 1 }
    }
}
