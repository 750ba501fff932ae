/// Adagrad's per-group options (PyTorch's `torch.optim.Adagrad` arguments besides `lr`).
public struct AdagradOptions: OptimizerOptions, Equatable {
    /// Learning-rate decay: step `t` uses `lr / (1 + (t - 1)·lrDecay)`.
    public var lrDecay: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// The starting value of the squared-gradient sum.
    public var initialAccumulatorValue: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// Whether to maximize the objective instead of minimizing it.
    public var maximize: Bool

    /// Options with PyTorch's defaults unless given.
    public init(lrDecay: Double = 0, weightDecay: Double = 0, initialAccumulatorValue: Double = 0,
                eps: Double = 1e-10, maximize: Bool = false) {
        self.lrDecay = lrDecay
        self.weightDecay = weightDecay
        self.initialAccumulatorValue = initialAccumulatorValue
        self.eps = eps
        self.maximize = maximize
    }

    /// PyTorch's defaults (eps 1e-10, no decay).
    public init() { self.init(lrDecay: 0) }

    /// Throws naming the first invalid option.
    public func validate() throws {
        try require(lrDecay >= 0 && lrDecay.isFinite, "invalid lr_decay value \(lrDecay) (must be >= 0)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "invalid weight_decay value \(weightDecay) (must be >= 0)")
        try require(initialAccumulatorValue >= 0 && initialAccumulatorValue.isFinite,
                    "invalid initial_accumulator_value \(initialAccumulatorValue) (must be >= 0)")
        try require(eps >= 0 && eps.isFinite, "invalid epsilon value \(eps) (must be >= 0)")
    }

    enum CodingKeys: String, CodingKey {
        case eps, maximize
        case lrDecay = "lr_decay"
        case weightDecay = "weight_decay"
        case initialAccumulatorValue = "initial_accumulator_value"
    }
}

/// Adagrad (Duchi et al.), following PyTorch's update rule exactly.
public final class Adagrad: OptimizerBase<AdagradOptions> {
    /// Adagrad over `parameters` in one group; stops with a message on an invalid option.
    public convenience init<LR: BinaryFloatingPoint>(
        _ parameters: [Parameter], lr: LR, lrDecay: Double = 0, weightDecay: Double = 0,
        initialAccumulatorValue: Double = 0, eps: Double = 1e-10, maximize: Bool = false
    ) {
        let options = AdagradOptions(lrDecay: lrDecay, weightDecay: weightDecay,
                                     initialAccumulatorValue: initialAccumulatorValue, eps: eps, maximize: maximize)
        try! self.init(groups: Self.checked([ParamGroup(parameters, lr: Double(lr), options: options)]))
    }

    /// The step count and the squared-gradient sum, by PyTorch's state names.
    public override class var stateNames: Set<String> { ["step", "sum"] }

    /// One Adagrad step for one parameter, in place, following PyTorch's update rule.
    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<AdagradOptions>) {
        let o = group.options
        state.hasStep = true
        state.step += 1
        let n = parameter.count
        let p = parameter.floats
        let g = gradient.floats
        // PyTorch creates `sum` filled with the initial accumulator value.
        let sum = state.buffer("sum", like: parameter, initial: Float(o.initialAccumulatorValue)).floats
        let clr = group.lr / (1 + (state.step - 1) * o.lrDecay)
        specialized(o.weightDecay != 0) { hasWD in
            AdagradKernel(p: p, g: g, sum: sum, sign: o.maximize ? -1 : 1, wd: Float(o.weightDecay),
                          negCLR: Float(-clr), eps: Float(o.eps), hasWD: hasWD)
                .run(count: n)
        }
    }
}

/// Adagrad's update of one lane of elements, in PyTorch's order of float32 operations.
private struct AdagradKernel: LaneKernel {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, sum: UnsafeMutablePointer<Float>
    let sign: Float, wd: Float, negCLR: Float, eps: Float
    let hasWD: Bool

    @inline(__always)
    func apply<L: FloatLane>(at i: Int, as _: L.Type) {
        let x = L(loading: p, at: i)
        var d = L(splat: sign) * L(loading: g, at: i)
        if hasWD { d = d + L(splat: wd) * x }
        let s = L(loading: sum, at: i) + L(splat: 1) * d * d  // state_sum.addcmul_(g, g, value=1)
        s.store(to: sum, at: i)
        (x + L(splat: negCLR) * d / (s.laneSquareRoot() + L(splat: eps))).store(to: p, at: i)  // addcdiv_(g, std, -clr)
    }
}
