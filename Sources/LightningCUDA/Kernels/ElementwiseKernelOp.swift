/// The elementwise functions of one input, each with its derivative, written once as CUDA C
/// expressions: the `unary_forward`/`unary_backward` kernels switch on the raw value, so the
/// table and the kernels cannot disagree.
///
/// In the expressions, `x` is the input, `y` the output (in derivatives), `a` and `b` the op's
/// scalar parameters. They follow the CPU definitions in LightningTensor (`Ops/Tensor+Math.swift`,
/// `Ops/Tensor+Activation.swift`), PyTorch's.
public enum UnaryKernelOp: Int32, CaseIterable, Sendable {
    case neg, exp, log, sqrt, abs, tanh, sigmoid, relu, leakyRelu, gelu, geluTanh, silu, softplus, elu
    case square, pow, clamp, addScalar, mulScalar, reciprocal, rsubScalar

    /// `f(x)` with parameters `a`, `b`.
    var forward: String {
        switch self {
        case .neg: return "-x"
        case .exp: return "expf(x)"
        case .log: return "logf(x)"
        case .sqrt: return "sqrtf(x)"
        case .abs: return "fabsf(x)"
        case .tanh: return "tanhf(x)"
        case .sigmoid: return "sigmoidf(x)"
        case .relu: return "x > 0.0f ? x : 0.0f"
        case .leakyRelu: return "x > 0.0f ? x : a * x"
        case .gelu: return "0.5f * x * (1.0f + erff(x * 0.7071067811865476f))"
        case .geluTanh: return "0.5f * x * (1.0f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)))"
        case .silu: return "x * sigmoidf(x)"
        case .softplus: return "x * a > b ? x : log1pf(expf(a * x)) / a"
        case .elu: return "x > 0.0f ? x : a * expm1f(x)"
        case .square: return "x * x"
        case .pow: return "powf(x, a)"
        case .clamp: return "fminf(fmaxf(x, a), b)"
        case .addScalar: return "x + a"
        case .mulScalar: return "x * a"
        case .reciprocal: return "1.0f / x"
        case .rsubScalar: return "a - x"
        }
    }

    /// `df/dx` from `x` and `y = f(x)`.
    var derivative: String {
        switch self {
        case .neg: return "-1.0f"
        case .exp: return "y"
        case .log: return "1.0f / x"
        case .sqrt: return "0.5f / y"
        case .abs: return "x > 0.0f ? 1.0f : (x < 0.0f ? -1.0f : 0.0f)"
        case .tanh: return "1.0f - y * y"
        case .sigmoid: return "y * (1.0f - y)"
        case .relu: return "y > 0.0f ? 1.0f : 0.0f"
        case .leakyRelu: return "x > 0.0f ? 1.0f : a"
        case .gelu: return "0.5f * (1.0f + erff(x * 0.7071067811865476f)) + x * 0.3989422804014327f * expf(-0.5f * x * x)"
        case .geluTanh:
            return "0.5f * (1.0f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x))) + 0.5f * x * "
                + "(1.0f - tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x)) * tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x))) "
                + "* (0.7978845608028654f * (1.0f + 3.0f * 0.044715f * x * x))"
        case .silu: return "sigmoidf(x) * (1.0f + x * (1.0f - sigmoidf(x)))"
        case .softplus: return "x * a > b ? 1.0f : sigmoidf(a * x)"
        case .elu: return "x > 0.0f ? 1.0f : y + a"
        case .square: return "2.0f * x"
        case .pow: return "a == 0.0f ? 0.0f : a * powf(x, a - 1.0f)"
        case .clamp: return "(x >= a && x <= b) ? 1.0f : 0.0f"
        case .addScalar: return "1.0f"
        case .mulScalar: return "a"
        case .reciprocal: return "-y * y"
        case .rsubScalar: return "-1.0f"
        }
    }
}

/// The elementwise functions of two inputs (with broadcasting), as CUDA C expressions in `x`
/// and `y`; comparisons give 1 or 0 as float32, as the CPU's do.
public enum BinaryKernelOp: Int32, CaseIterable, Sendable {
    case add, sub, mul, div, maximum, minimum, equal, notEqual, less, lessEqual, greater, greaterEqual
    /// `-x/y²`: the derivative of `x/y` by `y` (div's gradient for its divisor).
    case divisorGradient
    /// `y`: the second operand broadcast to the output's shape (expand).
    case second

    /// `f(x, y)`.
    var expression: String {
        switch self {
        case .add: return "x + y"
        case .sub: return "x - y"
        case .mul: return "x * y"
        case .div: return "x / y"
        case .maximum: return "fmaxf(x, y)"
        case .minimum: return "fminf(x, y)"
        case .equal: return "x == y ? 1.0f : 0.0f"
        case .notEqual: return "x != y ? 1.0f : 0.0f"
        case .less: return "x < y ? 1.0f : 0.0f"
        case .lessEqual: return "x <= y ? 1.0f : 0.0f"
        case .greater: return "x > y ? 1.0f : 0.0f"
        case .greaterEqual: return "x >= y ? 1.0f : 0.0f"
        case .divisorGradient: return "-x / (y * y)"
        case .second: return "y"
        }
    }
}

/// The elementwise losses of two inputs (`x` the input, `y` the target, `a` a parameter), each
/// with both partial derivatives, as CUDA C expressions following the CPU's
/// `Functional/RegressionLosses.swift` (PyTorch's definitions: logs clamped at −100, BCE's
/// denominator at 1e-12).
public enum PairwiseKernelOp: Int32, CaseIterable, Sendable {
    case squaredError, absoluteError, smoothL1, binaryCrossEntropy, binaryCrossEntropyWithLogits

    /// `f(x, y)`.
    var forward: String {
        switch self {
        case .squaredError: return "(x - y) * (x - y)"
        case .absoluteError: return "fabsf(x - y)"
        case .smoothL1: return "(a > 0.0f && fabsf(x - y) < a) ? 0.5f * fabsf(x - y) * fabsf(x - y) / a : fabsf(x - y) - 0.5f * a"
        case .binaryCrossEntropy: return "-(y * fmaxf(logf(x), -100.0f) + (1.0f - y) * fmaxf(log1pf(-x), -100.0f))"
        case .binaryCrossEntropyWithLogits: return "fmaxf(x, 0.0f) - x * y + log1pf(expf(-fabsf(x)))"
        }
    }

    /// `∂f/∂x`.
    var derivativeX: String {
        switch self {
        case .squaredError: return "2.0f * (x - y)"
        case .absoluteError: return "x > y ? 1.0f : (x < y ? -1.0f : 0.0f)"
        case .smoothL1: return "(a > 0.0f && fabsf(x - y) < a) ? (x - y) / a : ((x - y) > 0.0f ? 1.0f : ((x - y) < 0.0f ? -1.0f : 0.0f))"
        case .binaryCrossEntropy: return "(x - y) / fmaxf((1.0f - x) * x, 1e-12f)"
        case .binaryCrossEntropyWithLogits: return "sigmoidf(x) - y"
        }
    }

    /// `∂f/∂y`.
    var derivativeY: String {
        switch self {
        case .squaredError, .absoluteError, .smoothL1: return "-(\(derivativeX))"
        case .binaryCrossEntropy: return "fmaxf(log1pf(-x), -100.0f) - fmaxf(logf(x), -100.0f)"
        case .binaryCrossEntropyWithLogits: return "-x"
        }
    }
}
