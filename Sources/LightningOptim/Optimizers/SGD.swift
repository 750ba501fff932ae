import LightningCUDA

/// SGD's per-group options (PyTorch's `torch.optim.SGD` arguments besides `lr`).
public struct SGDOptions: OptimizerOptions, Equatable {
    /// Momentum factor (0 disables the momentum buffer).
    public var momentum: Double
    /// Dampening applied to the gradient added to the momentum buffer.
    public var dampening: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Whether to use Nesterov momentum (needs momentum > 0 and no dampening).
    public var nesterov: Bool
    /// Whether to maximize the objective instead of minimizing it.
    public var maximize: Bool

    /// Options with PyTorch's defaults unless given.
    public init(momentum: Double = 0, dampening: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false, maximize: Bool = false) {
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
    }

    /// PyTorch's defaults (no momentum, no weight decay).
    public init() { self.init(momentum: 0) }

    /// Throws naming the first invalid option.
    public func validate() throws {
        try require(momentum >= 0 && momentum.isFinite, "invalid momentum \(momentum) (must be >= 0)")
        try require(dampening.isFinite, "invalid dampening \(dampening)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "invalid weight decay \(weightDecay) (must be >= 0)")
        try require(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum requires a momentum and zero dampening")
    }

    /// The momentum, which OneCycleLR cycles.
    public var cycledMomentum: Double? {
        get { momentum }
        set { if let newValue { momentum = newValue } }
    }

    enum CodingKeys: String, CodingKey {
        case momentum, dampening, nesterov, maximize
        case weightDecay = "weight_decay"
    }
}

/// Stochastic gradient descent with momentum, dampening, Nesterov and weight decay, following
/// PyTorch's update rule exactly (the momentum buffer starts as a copy of the first gradient).
public final class SGD: OptimizerBase<SGDOptions> {
    /// SGD over `parameters` in one group; stops with a message on an invalid option.
    public convenience init<LR: BinaryFloatingPoint>(
        _ parameters: [Parameter], lr: LR, momentum: Double = 0, dampening: Double = 0,
        weightDecay: Double = 0, nesterov: Bool = false, maximize: Bool = false
    ) {
        let options = SGDOptions(momentum: momentum, dampening: dampening, weightDecay: weightDecay,
                                 nesterov: nesterov, maximize: maximize)
        try! self.init(groups: Self.checked([ParamGroup(parameters, lr: Double(lr), options: options)]))
    }

    /// The momentum buffer, by PyTorch's state names.
    public override class var stateNames: Set<String> { ["momentum_buffer"] }

    /// One SGD step for one parameter, in place, following PyTorch's update rule.
    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<SGDOptions>) {
        let o = group.options
        if case .cuda = parameter.device {
            return cudaSGDStep(parameter, gradient: gradient, state: state, lr: group.lr, options: o)
        }
        let p = parameter.floats
        let g = gradient.floats
        let hasMomentum = o.momentum != 0
        let first = state.buffers["momentum_buffer"] == nil
        // Without momentum the kernel never touches the buffer; it aliases `p` only to stay non-optional.
        let b = hasMomentum ? state.buffer("momentum_buffer", like: parameter).floats : p
        // PyTorch casts each scalar to float before the float32 kernels run.
        let negLR = Float(-group.lr), wd = Float(o.weightDecay), sign: Float = o.maximize ? -1 : 1
        let momentum = Float(o.momentum), keep = Float(1 - o.dampening)
        // One pass reads p, g and the buffer once: the optimizer step is part of every training step.
        specialized(o.weightDecay != 0) { hasWD in
        specialized(hasMomentum) { hasMomentum in
        specialized(first) { first in
        specialized(o.nesterov) { nesterov in
            SGDKernel(p: p, g: g, b: b, negLR: negLR, wd: wd, sign: sign, momentum: momentum, keep: keep,
                      hasWD: hasWD, hasMomentum: hasMomentum, first: first, nesterov: nesterov)
                .run(count: parameter.count)
        }
        }
        }
        }
    }
}

/// SGD's update of one lane of elements (PyTorch's `_single_tensor_sgd`, fused into one pass).
private struct SGDKernel: LaneKernel {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, b: UnsafeMutablePointer<Float>
    let negLR: Float, wd: Float, sign: Float, momentum: Float, keep: Float
    let hasWD: Bool, hasMomentum: Bool, first: Bool, nesterov: Bool

    @inline(__always)
    func apply<L: FloatLane>(at i: Int, as _: L.Type) {
        let x = L(loading: p, at: i)
        var d = L(splat: sign) * L(loading: g, at: i)
        if hasWD { d = d + L(splat: wd) * x }
        if hasMomentum {
            let m = L(splat: momentum)
            // PyTorch starts the buffer as a copy of the first gradient (no dampening).
            let buf = first ? d : L(loading: b, at: i) * m + L(splat: keep) * d
            buf.store(to: b, at: i)
            d = nesterov ? d + m * buf : buf
        }
        (x + L(splat: negLR) * d).store(to: p, at: i)
    }
}

/// SGD's step on a GPU: the same fused update, one kernel over the parameter (`sgd_step` in
/// `KernelSource+Optimizers.swift`, the float32 operations of ``SGDKernel`` in the same order).
private func cudaSGDStep(_ parameter: Tensor, gradient: Tensor, state: ParameterState, lr: Double, options o: SGDOptions) {
    parameter.requireSameDevice(gradient, op: "SGD")
    let hasMomentum = o.momentum != 0
    let first = state.buffers["momentum_buffer"] == nil
    let buffer = hasMomentum ? state.buffer("momentum_buffer", like: parameter) : parameter
    CUDAKernels.launch("sgd_step", .optimizers, on: CUDAKernels.ordinal(parameter), elements: parameter.count,
                       [CUDAKernels.pointer(parameter), CUDAKernels.pointer(gradient), CUDAKernels.pointer(buffer), .int64(Int64(parameter.count)),
                        .float(Float(-lr)), .float(Float(o.weightDecay)), .float(o.maximize ? -1 : 1), .float(Float(o.momentum)),
                        .float(Float(1 - o.dampening)), .int32(o.weightDecay != 0 ? 1 : 0), .int32(hasMomentum ? 1 : 0), .int32(first ? 1 : 0),
                        .int32(o.nesterov ? 1 : 0)], op: "SGD")
}
