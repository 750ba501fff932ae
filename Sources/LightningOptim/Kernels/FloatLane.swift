#if arch(x86_64) && canImport(_Builtin_intrinsics)
import _Builtin_intrinsics.intel
#endif

/// A float or a short vector of floats, so an element-wise update is written once and runs four
/// elements at a time with a scalar tail.
///
/// The compiler's own vectorizer declines loops with `sqrt` and division on baseline x86-64 (its
/// cost tables date from early SSE), which made Adam, RMSprop and Adagrad scalar; explicit vectors
/// give the same IEEE results four at a time.
protocol FloatLane {
    /// Reads the lane starting at `p[i]`.
    init(loading p: UnsafePointer<Float>, at i: Int)
    /// `x` in every element.
    init(splat x: Float)
    /// Writes the lane to `p[i]...`.
    func store(to p: UnsafeMutablePointer<Float>, at i: Int)
    /// Element-wise sum.
    static func + (lhs: Self, rhs: Self) -> Self
    /// Element-wise difference.
    static func - (lhs: Self, rhs: Self) -> Self
    /// Element-wise product.
    static func * (lhs: Self, rhs: Self) -> Self
    /// Element-wise quotient.
    static func / (lhs: Self, rhs: Self) -> Self
    /// Element-wise square root (correctly rounded, like `Float.squareRoot()`).
    func laneSquareRoot() -> Self
    /// Element-wise `other > self ? other : self`.
    func laneMax(_ other: Self) -> Self
}

extension Float: FloatLane {
    @inline(__always) init(loading p: UnsafePointer<Float>, at i: Int) { self = p[i] }
    @inline(__always) init(splat x: Float) { self = x }
    @inline(__always) func store(to p: UnsafeMutablePointer<Float>, at i: Int) { p[i] = self }
    @inline(__always) func laneSquareRoot() -> Float { squareRoot() }
    @inline(__always) func laneMax(_ other: Float) -> Float { other > self ? other : self }
}

extension SIMD4: FloatLane where Scalar == Float {
    @inline(__always) init(loading p: UnsafePointer<Float>, at i: Int) {
        self = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Float>.self)
    }
    @inline(__always) init(splat x: Float) { self.init(repeating: x) }
    @inline(__always) func store(to p: UnsafeMutablePointer<Float>, at i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: self, as: SIMD4<Float>.self)
    }
    @inline(__always) func laneSquareRoot() -> SIMD4<Float> {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
        return _mm_sqrt_ps(self)
        #else
        return squareRoot()
        #endif
    }
    @inline(__always) func laneMax(_ other: SIMD4<Float>) -> SIMD4<Float> { replacing(with: other, where: other .> self) }
}

/// An element-wise update over a few buffers, written once for any lane width.
protocol LaneKernel {
    /// Updates the elements starting at `i`, `L`'s width of them.
    func apply<L: FloatLane>(at i: Int, as lane: L.Type)
}

extension LaneKernel {
    /// Runs the kernel over elements `0..<count`: four at a time, then one at a time.
    @inline(__always)
    func run(count: Int) {
        var i = 0
        while i + 4 <= count {
            apply(at: i, as: SIMD4<Float>.self)
            i += 4
        }
        while i < count {
            apply(at: i, as: Float.self)
            i += 1
        }
    }
}
