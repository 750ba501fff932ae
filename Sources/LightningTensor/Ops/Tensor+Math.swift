import LightningCUDA
#if canImport(Glibc)
import Glibc
#endif

/// Elementwise mathematical functions.
extension Tensor {
    /// Applies `f` and records `df(x, y)` (derivative from input and output) as the rule.
    /// On a GPU, `kernel` with parameters `a`, `b` computes the same function and derivative.
    func unary(_ op: String, kernel: UnaryKernelOp, a: Float = 0, b: Float = 0, _ f: (Float) -> Float,
               derivative: @escaping (Float, Float) -> Float) -> Tensor {
        requireDType(.float32, op: op)
        if case .cuda = device { return cudaUnary(kernel, a: a, b: b, name: op) }
        let out = Kernels.map(self, f)
        guard GradMode.isEnabled && requiresGrad else { return out }
        let x = detached(), y = out
        return Tensor.recorded(op, out, inputs: [self]) { g in
            [Kernels.zip3(g, x, y) { gv, xv, yv in gv * derivative(xv, yv) }]
        }
    }

    /// `e^x`.
    public func exp() -> Tensor { unary("exp", kernel: .exp, { Glibc.expf($0) }) { _, y in y } }
    /// The natural logarithm.
    public func log() -> Tensor { unary("log", kernel: .log, { Glibc.logf($0) }) { x, _ in 1 / x } }
    /// The square root.
    public func sqrt() -> Tensor { unary("sqrt", kernel: .sqrt, { $0.squareRoot() }) { _, y in 0.5 / y } }
    /// The absolute value (gradient `sign(x)`, 0 at 0).
    public func abs() -> Tensor { unary("abs", kernel: .abs, { Swift.abs($0) }) { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) } }
    /// The hyperbolic tangent.
    public func tanh() -> Tensor { unary("tanh", kernel: .tanh, { Glibc.tanhf($0) }) { _, y in 1 - y * y } }
    /// The logistic sigmoid `1 / (1 + e^-x)`.
    public func sigmoid() -> Tensor { unary("sigmoid", kernel: .sigmoid, { Tensor.sigmoidScalar($0) }) { _, y in y * (1 - y) } }
    /// The square.
    public func squared() -> Tensor { unary("pow", kernel: .square, { $0 * $0 }) { x, _ in 2 * x } }

    /// Raises every element to `exponent`.
    public func pow(_ exponent: Float) -> Tensor {
        if exponent == 2 { return unary("pow", kernel: .square, { $0 * $0 }) { x, _ in 2 * x } }
        return unary("pow", kernel: .pow, a: exponent, { Glibc.powf($0, exponent) }) { x, _ in
            exponent == 0 ? 0 : exponent * Glibc.powf(x, exponent - 1)
        }
    }

    /// Limits every element to `[min, max]` (gradient 1 inside, 0 outside).
    public func clamped(min lo: Float? = nil, max hi: Float? = nil) -> Tensor {
        let a = lo ?? -.infinity, b = hi ?? .infinity
        return unary("clamp", kernel: .clamp, a: a, b: b, { Swift.min(Swift.max($0, a), b) }) { x, _ in (x >= a && x <= b) ? 1 : 0 }
    }

    @inline(__always)
    static func sigmoidScalar(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Glibc.expf(-x)) : { let e = Glibc.expf(x); return e / (1 + e) }()
    }
}
