/// RMSprop's per-group options (PyTorch's `torch.optim.RMSprop` arguments besides `lr`).
public struct RMSpropOptions: OptimizerOptions, Equatable {
    /// Smoothing constant of the squared-gradient average.
    public var alpha: Double
    /// Added to the denominator for numerical stability.
    public var eps: Double
    /// L2 penalty added to the gradient.
    public var weightDecay: Double
    /// Momentum factor (0 disables the momentum buffer).
    public var momentum: Double
    /// Whether to normalize by the estimated variance (subtracting the squared gradient average).
    public var centered: Bool
    /// Whether to maximize the objective instead of minimizing it.
    public var maximize: Bool

    /// Options with PyTorch's defaults unless given.
    public init(alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0, momentum: Double = 0,
                centered: Bool = false, maximize: Bool = false) {
        self.alpha = alpha
        self.eps = eps
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.centered = centered
        self.maximize = maximize
    }

    /// PyTorch's defaults (alpha 0.99, eps 1e-8).
    public init() { self.init(alpha: 0.99) }

    /// Throws naming the first invalid option.
    public func validate() throws {
        try require(alpha >= 0 && alpha.isFinite, "invalid alpha value \(alpha) (must be >= 0)")
        try require(eps >= 0 && eps.isFinite, "invalid epsilon value \(eps) (must be >= 0)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "invalid weight decay \(weightDecay) (must be >= 0)")
        try require(momentum >= 0 && momentum.isFinite, "invalid momentum value \(momentum) (must be >= 0)")
    }

    /// The momentum, which OneCycleLR cycles.
    public var cycledMomentum: Double? {
        get { momentum }
        set { if let newValue { momentum = newValue } }
    }

    enum CodingKeys: String, CodingKey {
        case alpha, eps, momentum, centered, maximize
        case weightDecay = "weight_decay"
    }
}

/// RMSprop (Hinton) with momentum and the centered variant, following PyTorch's update rule exactly.
public final class RMSprop: OptimizerBase<RMSpropOptions> {
    /// RMSprop over `parameters` in one group; stops with a message on an invalid option.
    public convenience init<LR: BinaryFloatingPoint>(
        _ parameters: [Parameter], lr: LR, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
        momentum: Double = 0, centered: Bool = false, maximize: Bool = false
    ) {
        let options = RMSpropOptions(alpha: alpha, eps: eps, weightDecay: weightDecay, momentum: momentum,
                                     centered: centered, maximize: maximize)
        try! self.init(groups: Self.checked([ParamGroup(parameters, lr: Double(lr), options: options)]))
    }

    /// The step count, squared-gradient average, momentum buffer and gradient average, by PyTorch's state names.
    public override class var stateNames: Set<String> { ["step", "square_avg", "momentum_buffer", "grad_avg"] }

    /// One RMSprop step for one parameter, in place, following PyTorch's update rule.
    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<RMSpropOptions>) {
        let o = group.options
        state.hasStep = true
        state.step += 1
        let n = parameter.count
        let p = parameter.floats
        let g = gradient.floats
        let sq = state.buffer("square_avg", like: parameter).floats
        // Buffers an option leaves unused alias `sq`, only to stay non-optional; the kernel never touches them.
        let avgG = o.centered ? state.buffer("grad_avg", like: parameter).floats : sq
        let buf = o.momentum > 0 ? state.buffer("momentum_buffer", like: parameter).floats : sq
        let oneMinusAlpha = Float(1 - o.alpha)
        specialized(o.weightDecay != 0) { hasWD in
        specialized(o.centered) { centered in
        specialized(o.momentum > 0) { hasMomentum in
        // torch.lerp switches formula at weight 0.5 to stay accurate near both ends.
        specialized(abs(oneMinusAlpha) < 0.5) { smallWeight in
            RMSpropKernel(p: p, g: g, sq: sq, avgG: avgG, buf: buf, sign: o.maximize ? -1 : 1, wd: Float(o.weightDecay),
                          alpha: Float(o.alpha), oneMinusAlpha: oneMinusAlpha, eps: Float(o.eps), momentum: Float(o.momentum),
                          negLR: Float(-group.lr), hasWD: hasWD, centered: centered, hasMomentum: hasMomentum,
                          smallWeight: smallWeight)
                .run(count: n)
        }
        }
        }
        }
    }
}

/// RMSprop's update of one lane of elements, in PyTorch's order of float32 operations.
private struct RMSpropKernel: LaneKernel {
    let p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>
    let sq: UnsafeMutablePointer<Float>, avgG: UnsafeMutablePointer<Float>, buf: UnsafeMutablePointer<Float>
    let sign: Float, wd: Float, alpha: Float, oneMinusAlpha: Float, eps: Float, momentum: Float, negLR: Float
    let hasWD: Bool, centered: Bool, hasMomentum: Bool, smallWeight: Bool

    @inline(__always)
    func apply<L: FloatLane>(at i: Int, as _: L.Type) {
        let x = L(loading: p, at: i)
        var d = L(splat: sign) * L(loading: g, at: i)
        if hasWD { d = d + L(splat: wd) * x }
        let w = L(splat: oneMinusAlpha)
        let s = L(loading: sq, at: i) * L(splat: alpha) + w * d * d  // square_avg.mul_(α).addcmul_(g, g, 1 - α)
        s.store(to: sq, at: i)
        var avg: L
        if centered {
            let a0 = L(loading: avgG, at: i)
            let a = smallWeight ? a0 + w * (d - a0) : d - (d - a0) * (L(splat: 1) - w)  // grad_avg.lerp_(g, 1 - α)
            a.store(to: avgG, at: i)
            avg = (s + L(splat: -1) * a * a).laneSquareRoot()  // square_avg.addcmul(ga, ga, -1).sqrt_()
        } else {
            avg = s.laneSquareRoot()
        }
        avg = avg + L(splat: eps)
        if hasMomentum {
            let b = L(loading: buf, at: i) * L(splat: momentum) + d / avg  // buf.mul_(m).addcdiv_(g, avg)
            b.store(to: buf, at: i)
            (x + L(splat: negLR) * b).store(to: p, at: i)
        } else {
            (x + L(splat: negLR) * d / avg).store(to: p, at: i)  // param.addcdiv_(g, avg, -lr)
        }
    }
}
