import LightningCUDA
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam's and AdamW's per-group options (PyTorch's arguments besides `lr`).
public struct AdamOptions: OptimizerOptions, Equatable {
    /// β₁, the decay of the running mean of gradients.
    public var beta1: Double
    /// β₂, the decay of the running mean of squared gradients.
    public var beta2: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Weight decay: an L2 penalty on the gradient for Adam, decoupled shrinkage for AdamW.
    public var weightDecay: Double
    /// Whether to use the AMSGrad variant (the maximum of past squared-gradient averages).
    public var amsgrad: Bool
    /// Whether to maximize the objective instead of minimizing it.
    public var maximize: Bool

    /// Options with PyTorch's Adam defaults unless given.
    public init(betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8, weightDecay: Double = 0,
                amsgrad: Bool = false, maximize: Bool = false) {
        self.beta1 = betas.0
        self.beta2 = betas.1
        self.eps = eps
        self.weightDecay = weightDecay
        self.amsgrad = amsgrad
        self.maximize = maximize
    }

    /// PyTorch's Adam defaults (betas (0.9, 0.999), eps 1e-8, no weight decay).
    public init() { self.init(eps: 1e-8) }

    /// Throws naming the first invalid option.
    public func validate() throws {
        try require(beta1 >= 0 && beta1 < 1, "invalid beta parameter at index 0: \(beta1) (must be in [0, 1))")
        try require(beta2 >= 0 && beta2 < 1, "invalid beta parameter at index 1: \(beta2) (must be in [0, 1))")
        try require(eps >= 0 && eps.isFinite, "invalid epsilon value \(eps) (must be >= 0)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "invalid weight decay \(weightDecay) (must be >= 0)")
    }

    /// β₁, which OneCycleLR cycles.
    public var cycledMomentum: Double? {
        get { beta1 }
        set { if let newValue { beta1 = newValue } }
    }

    enum CodingKeys: String, CodingKey {
        case beta1, beta2, eps, amsgrad, maximize
        case weightDecay = "weight_decay"
    }
}

/// Adam (Kingma & Ba) with L2 weight decay and AMSGrad, following PyTorch's update rule exactly.
public final class Adam: OptimizerBase<AdamOptions> {
    /// Adam over `parameters` in one group; stops with a message on an invalid option.
    public convenience init<LR: BinaryFloatingPoint>(
        _ parameters: [Parameter], lr: LR, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 0, amsgrad: Bool = false, maximize: Bool = false
    ) {
        let options = AdamOptions(betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize)
        try! self.init(groups: Self.checked([ParamGroup(parameters, lr: Double(lr), options: options)]))
    }

    /// The step count and moment estimates, by PyTorch's state names.
    public override class var stateNames: Set<String> { adamStateNames }

    /// One Adam step for one parameter, in place, following PyTorch's update rule.
    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<AdamOptions>) {
        adamUpdate(parameter, gradient: gradient, state: state, lr: group.lr, options: group.options, decoupled: false)
    }
}

/// The state Adam and AdamW keep per parameter.
let adamStateNames: Set<String> = ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]

/// One Adam/AdamW step for one parameter, in a single pass over its elements.
///
/// Mirrors PyTorch's `_single_tensor_adam`: the bias corrections and step size are computed in
/// double from the step count, then cast to float for the element loop.
func adamUpdate(_ parameter: Tensor, gradient: Tensor, state: ParameterState, lr: Double,
                options o: AdamOptions, decoupled: Bool) {
    state.hasStep = true
    state.step += 1
    let step = state.step
    if case .cuda = parameter.device {
        return cudaAdamStep(parameter, gradient: gradient, state: state, step: step, lr: lr, options: o, decoupled: decoupled)
    }
    let n = parameter.count
    let p = parameter.floats
    let g = gradient.floats
    let m = state.buffer("exp_avg", like: parameter).floats
    let v = state.buffer("exp_avg_sq", like: parameter).floats
    // Without AMSGrad the loop never touches `vMax`; it aliases `v` only to stay non-optional.
    let vMax = o.amsgrad ? state.buffer("max_exp_avg_sq", like: parameter).floats : v

    let biasCorrection1 = 1 - pow(o.beta1, step)
    let biasCorrection2 = 1 - pow(o.beta2, step)
    let negStepSize = Float(-(lr / biasCorrection1))
    let bc2Sqrt = Float(biasCorrection2.squareRoot())
    let lerpWeight = Float(1 - o.beta1), beta2 = Float(o.beta2), oneMinusBeta2 = Float(1 - o.beta2)
    let eps = Float(o.eps), sign: Float = o.maximize ? -1 : 1
    let l2 = Float(o.weightDecay), decay = Float(1 - lr * o.weightDecay)

    specialized(o.weightDecay != 0 && !decoupled) { l2Decay in
    specialized(o.weightDecay != 0 && decoupled) { decoupledDecay in
    specialized(o.amsgrad) { amsgrad in
    // torch.lerp switches formula at weight 0.5 to stay accurate near both ends.
    specialized(abs(lerpWeight) < 0.5) { smallWeight in
        AdamKernel(p: p, g: g, m: m, v: v, vMax: vMax, sign: sign, l2: l2, decay: decay, lerpWeight: lerpWeight,
                   beta2: beta2, oneMinusBeta2: oneMinusBeta2, bc2Sqrt: bc2Sqrt, eps: eps, negStepSize: negStepSize,
                   l2Decay: l2Decay, decoupledDecay: decoupledDecay, amsgrad: amsgrad, smallWeight: smallWeight)
            .run(count: n)
    }
    }
    }
    }
}

/// Adam's update of one lane of elements, in PyTorch's order of float32 operations.
private struct AdamKernel: LaneKernel {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>
    let m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, vMax: UnsafeMutablePointer<Float>
    let sign: Float, l2: Float, decay: Float, lerpWeight: Float, beta2: Float, oneMinusBeta2: Float
    let bc2Sqrt: Float, eps: Float, negStepSize: Float
    let l2Decay: Bool, decoupledDecay: Bool, amsgrad: Bool, smallWeight: Bool

    @inline(__always)
    func apply<L: FloatLane>(at i: Int, as _: L.Type) {
        var d = L(splat: sign) * L(loading: g, at: i)
        var x = L(loading: p, at: i)
        if decoupledDecay { x = x * L(splat: decay) }           // AdamW: param.mul_(1 - lr·wd)
        if l2Decay { d = d + L(splat: l2) * x }                  // Adam: grad + wd·param
        let m0 = L(loading: m, at: i), w = L(splat: lerpWeight)
        let mi = smallWeight ? m0 + w * (d - m0) : d - (d - m0) * (L(splat: 1) - w)  // exp_avg.lerp_(grad, 1 - β₁)
        mi.store(to: m, at: i)
        let vi = L(loading: v, at: i) * L(splat: beta2) + L(splat: oneMinusBeta2) * d * d  // mul_(β₂).addcmul_
        vi.store(to: v, at: i)
        var second = vi
        if amsgrad {
            second = L(loading: vMax, at: i).laneMax(vi)
            second.store(to: vMax, at: i)
        }
        let denom = second.laneSquareRoot() / L(splat: bc2Sqrt) + L(splat: eps)
        (x + L(splat: negStepSize) * mi / denom).store(to: p, at: i)  // addcdiv_(exp_avg, denom, -step_size)
    }
}

/// Adam's and AdamW's step on a GPU: one kernel over the parameter (`adam_step` in
/// `KernelSource+Optimizers.swift`, the float32 operations of ``AdamKernel`` in the same order, the
/// scalars computed in double as above).
private func cudaAdamStep(_ parameter: Tensor, gradient: Tensor, state: ParameterState, step: Double, lr: Double,
                          options o: AdamOptions, decoupled: Bool) {
    parameter.requireSameDevice(gradient, op: decoupled ? "AdamW" : "Adam")
    let m = state.buffer("exp_avg", like: parameter), v = state.buffer("exp_avg_sq", like: parameter)
    let vMax = o.amsgrad ? state.buffer("max_exp_avg_sq", like: parameter) : v
    let biasCorrection1 = 1 - pow(o.beta1, step), biasCorrection2 = 1 - pow(o.beta2, step)
    let lerpWeight = Float(1 - o.beta1)
    CUDAKernels.launch("adam_step", .optimizers, on: CUDAKernels.ordinal(parameter), elements: parameter.count,
                       [CUDAKernels.pointer(parameter), CUDAKernels.pointer(gradient), CUDAKernels.pointer(m), CUDAKernels.pointer(v),
                        CUDAKernels.pointer(vMax), .int64(Int64(parameter.count)), .float(o.maximize ? -1 : 1), .float(Float(o.weightDecay)),
                        .float(Float(1 - lr * o.weightDecay)), .float(lerpWeight), .float(Float(o.beta2)), .float(Float(1 - o.beta2)),
                        .float(Float(biasCorrection2.squareRoot())), .float(Float(o.eps)), .float(Float(-(lr / biasCorrection1))),
                        .int32(o.weightDecay != 0 && !decoupled ? 1 : 0), .int32(o.weightDecay != 0 && decoupled ? 1 : 0),
                        .int32(o.amsgrad ? 1 : 0), .int32(abs(lerpWeight) < 0.5 ? 1 : 0)], op: decoupled ? "AdamW" : "Adam")
}
