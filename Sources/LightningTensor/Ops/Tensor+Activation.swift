import LightningCUDA
#if canImport(Glibc)
import Glibc
#endif

/// Activation functions, with PyTorch's definitions and gradients.
extension Tensor {
    /// `max(x, 0)`.
    public func relu() -> Tensor {
        requireDType(.float32, op: "relu")
        if case .cuda = device { return cudaUnary(.relu, name: "relu") }
        let out = Kernels.map(self) { $0 > 0 ? $0 : 0 }
        let y = out
        // The output alone decides the gradient mask, so no input is saved.
        return Tensor.recorded("relu", out, inputs: [self]) { g in
            [Kernels.zip(g, y) { gv, yv in yv > 0 ? gv : 0 }]
        }
    }

    /// `x` if positive, else `negativeSlope · x`.
    public func leakyRelu(negativeSlope: Float = 0.01) -> Tensor {
        unary("leaky_relu", kernel: .leakyRelu, a: negativeSlope, { $0 > 0 ? $0 : negativeSlope * $0 }) { x, _ in x > 0 ? 1 : negativeSlope }
    }

    /// The Gaussian error linear unit; `approximate: true` uses PyTorch's tanh form.
    public func gelu(approximate: Bool = false) -> Tensor {
        if approximate {
            let k: Float = 0.7978845608028654  // √(2/π)
            return unary("gelu", kernel: .geluTanh, { x in
                0.5 * x * (1 + Glibc.tanhf(k * (x + 0.044715 * x * x * x)))
            }) { x, _ in
                let inner = k * (x + 0.044715 * x * x * x)
                let t = Glibc.tanhf(inner)
                let dinner = k * (1 + 3 * 0.044715 * x * x)
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * dinner
            }
        }
        let invSqrt2: Float = 0.7071067811865476
        let invSqrt2Pi: Float = 0.3989422804014327
        return unary("gelu", kernel: .gelu, { x in 0.5 * x * (1 + Glibc.erff(x * invSqrt2)) }) { x, _ in
            0.5 * (1 + Glibc.erff(x * invSqrt2)) + x * invSqrt2Pi * Glibc.expf(-0.5 * x * x)
        }
    }

    /// `x · sigmoid(x)` (swish).
    public func silu() -> Tensor {
        unary("silu", kernel: .silu, { $0 * Tensor.sigmoidScalar($0) }) { x, _ in
            let s = Tensor.sigmoidScalar(x)
            return s * (1 + x * (1 - s))
        }
    }

    /// `log(1 + e^(βx)) / β`, linear above `threshold` as in PyTorch.
    public func softplus(beta: Float = 1, threshold: Float = 20) -> Tensor {
        unary("softplus", kernel: .softplus, a: beta, b: threshold, { x in
            x * beta > threshold ? x : Glibc.log1pf(Glibc.expf(beta * x)) / beta
        }) { x, _ in x * beta > threshold ? 1 : Tensor.sigmoidScalar(beta * x) }
    }

    /// `x` if positive, else `α(e^x − 1)`.
    public func elu(alpha: Float = 1) -> Tensor {
        unary("elu", kernel: .elu, a: alpha, { $0 > 0 ? $0 : alpha * Glibc.expm1f($0) }) { x, y in x > 0 ? 1 : y + alpha }
    }
}
