/// `max(x, 0)` elementwise, PyTorch's `nn.ReLU`.
public final class ReLU: Module {
    /// The ReLU layer.
    public override init() { super.init() }
    /// `input.relu()`.
    public override func forward(_ input: Tensor) -> Tensor { input.relu() }
}

/// `x` for positive `x`, else `negativeSlope · x`, PyTorch's `nn.LeakyReLU`.
public final class LeakyReLU: Module {
    /// The slope for negative inputs.
    public let negativeSlope: Float
    /// A leaky ReLU with slope `negativeSlope` below zero.
    public init(negativeSlope: Float = 0.01) { self.negativeSlope = negativeSlope }
    /// `input.leakyRelu(negativeSlope:)`.
    public override func forward(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
    /// `negative_slope=0.01`, as PyTorch prints it.
    public override var extraDescription: String { "negative_slope=\(LayerSupport.python(negativeSlope))" }
}

/// The Gaussian error linear unit, exact (erf) or with the tanh approximation, PyTorch's `nn.GELU`.
public final class GELU: Module {
    /// Which formula GELU computes (PyTorch's `approximate` argument).
    public enum Approximation: String, Sendable {
        /// The exact `x · Φ(x)` with the error function.
        case none
        /// The tanh approximation.
        case tanh
    }

    /// The formula used.
    public let approximate: Approximation
    /// A GELU computing `approximate`'s formula.
    public init(approximate: Approximation = .none) { self.approximate = approximate }
    /// `input.gelu(approximate:)`.
    public override func forward(_ input: Tensor) -> Tensor { input.gelu(approximate: approximate == .tanh) }
    /// `approximate='none'`, as PyTorch prints it.
    public override var extraDescription: String { "approximate='\(approximate.rawValue)'" }
}

/// `x · sigmoid(x)` (swish), PyTorch's `nn.SiLU`.
public final class SiLU: Module {
    /// The SiLU layer.
    public override init() { super.init() }
    /// `input.silu()`.
    public override func forward(_ input: Tensor) -> Tensor { input.silu() }
}

/// The hyperbolic tangent elementwise, PyTorch's `nn.Tanh`.
public final class Tanh: Module {
    /// The Tanh layer.
    public override init() { super.init() }
    /// `input.tanh()`.
    public override func forward(_ input: Tensor) -> Tensor { input.tanh() }
}

/// `1 / (1 + e^−x)` elementwise, PyTorch's `nn.Sigmoid`.
public final class Sigmoid: Module {
    /// The Sigmoid layer.
    public override init() { super.init() }
    /// `input.sigmoid()`.
    public override func forward(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// `log(1 + e^(βx)) / β`, linear above `threshold`, PyTorch's `nn.Softplus`.
public final class Softplus: Module {
    /// The sharpness β.
    public let beta: Float
    /// Above `β·x > threshold` the layer returns `x` (for numerical stability).
    public let threshold: Float
    /// A softplus with sharpness `beta` that turns linear above `threshold`.
    public init(beta: Float = 1, threshold: Float = 20) {
        self.beta = beta
        self.threshold = threshold
    }
    /// `input.softplus(beta:threshold:)`.
    public override func forward(_ input: Tensor) -> Tensor { input.softplus(beta: beta, threshold: threshold) }
    /// `beta=1.0, threshold=20.0`, as PyTorch prints it.
    public override var extraDescription: String { "beta=\(LayerSupport.python(beta)), threshold=\(LayerSupport.python(threshold))" }
}

/// `x` for positive `x`, else `α(e^x − 1)`, PyTorch's `nn.ELU`.
public final class ELU: Module {
    /// The saturation value α for negative inputs.
    public let alpha: Float
    /// An ELU saturating at `−alpha`.
    public init(alpha: Float = 1) { self.alpha = alpha }
    /// `input.elu(alpha:)`.
    public override func forward(_ input: Tensor) -> Tensor { input.elu(alpha: alpha) }
    /// `alpha=1.0`, as PyTorch prints it.
    public override var extraDescription: String { "alpha=\(LayerSupport.python(alpha))" }
}
