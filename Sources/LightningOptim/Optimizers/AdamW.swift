/// AdamW (Loshchilov & Hutter): Adam with weight decay decoupled from the gradient
/// (`p *= 1 - lr·weightDecay` before the Adam step), following PyTorch's update rule exactly.
///
/// Its groups use ``AdamOptions``; `weightDecay` is always applied the decoupled way.
public final class AdamW: OptimizerBase<AdamOptions> {
    /// AdamW over `parameters` in one group (PyTorch's default weight decay 0.01); stops with a
    /// message on an invalid option.
    public convenience init<LR: BinaryFloatingPoint>(
        _ parameters: [Parameter], lr: LR, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
        weightDecay: Double = 1e-2, amsgrad: Bool = false, maximize: Bool = false
    ) {
        let options = AdamOptions(betas: betas, eps: eps, weightDecay: weightDecay, amsgrad: amsgrad, maximize: maximize)
        try! self.init(groups: Self.checked([ParamGroup(parameters, lr: Double(lr), options: options)]))
    }

    /// The step count and moment estimates, by PyTorch's state names.
    public override class var stateNames: Set<String> { adamStateNames }

    /// One AdamW step for one parameter, in place, following PyTorch's update rule.
    public override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<AdamOptions>) {
        adamUpdate(parameter, gradient: gradient, state: state, lr: group.lr, options: group.options, decoupled: true)
    }
}
