/// The shared machinery of the optimizers: parameter groups, per-parameter state, `zeroGrad`,
/// learning rates and state dicts. Subclasses supply the update rule, as with PyTorch's
/// `torch.optim.Optimizer`; the built-in ones are subclasses too.
///
/// A custom optimizer declares its per-group options, overrides ``update(_:gradient:state:group:)``
/// and lists its state in ``stateNames`` (so ``loadStateDict(_:)`` can check a saved state):
/// ```swift
/// struct SignSGDOptions: OptimizerOptions { init() {}; func validate() throws {} }
///
/// final class SignSGD: OptimizerBase<SignSGDOptions> {
///     override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState,
///                          group: ParamGroup<SignSGDOptions>) {
///         let lr = Float(group.lr)
///         gradient.withUnsafeBufferPointer { g in
///             parameter.withUnsafeMutableBufferPointer { p in
///                 for i in p.indices { p[i] -= lr * (g[i] > 0 ? 1 : g[i] < 0 ? -1 : 0) }
///             }
///         }
///     }
/// }
/// let optimizer = try SignSGD(groups: [ParamGroup(model.parameters(), lr: 0.01)])
/// ```
open class OptimizerBase<Options: OptimizerOptions>: Optimizer {
    /// The parameter groups; editing them keeps them valid or stops with a message.
    public var paramGroups: [ParamGroup<Options>] {
        didSet {
            do { try Self.validate(paramGroups) } catch { usageFailure("\(error)") }
        }
    }

    /// State per parameter, keyed by identity like PyTorch's `optimizer.state[p]`.
    var state: [ObjectIdentifier: ParameterState] = [:]

    /// An optimizer over `groups`; throws naming the problem if an option is out of range, a group
    /// has a negative learning rate, or a parameter appears twice.
    public init(groups: [ParamGroup<Options>]) throws {
        try Self.validate(groups)
        self.paramGroups = groups
    }

    /// The name used in messages and state dicts (`SGD`, `Adam`, …).
    class var name: String { String(describing: self) }

    /// The state names this optimizer keeps (`"step"` and its buffers' names), for checking loaded
    /// state dicts; a subclass that keeps state lists it here.
    open class var stateNames: Set<String> { [] }

    /// Validates `groups`, then returns them, stopping with the message on bad input
    /// (for the non-throwing convenience initializers).
    static func checked(_ groups: [ParamGroup<Options>]) -> [ParamGroup<Options>] {
        do { try validate(groups) } catch { usageFailure("\(error)") }
        return groups
    }

    /// Throws naming the first problem in `groups`.
    static func validate(_ groups: [ParamGroup<Options>]) throws {
        if groups.isEmpty { throw OptimizerError.invalidParameterGroups("\(name): optimizer got an empty parameter list") }
        var seen = Set<ObjectIdentifier>()
        for (g, group) in groups.enumerated() {
            if !(group.lr >= 0) || !group.lr.isFinite {
                throw OptimizerError.invalidOption("\(name): invalid learning rate \(group.lr) in group \(g) (must be finite and >= 0)")
            }
            do { try group.options.validate() } catch let OptimizerError.invalidOption(message) {
                throw OptimizerError.invalidOption("\(name): \(message) in group \(g)")
            }
            for (i, p) in group.parameters.enumerated() where !seen.insert(ObjectIdentifier(p)).inserted {
                throw OptimizerError.invalidParameterGroups(
                    "\(name): parameter \(i) of group \(g) (shape \(p.shape)) appears more than once in the parameter groups")
            }
        }
    }

    /// Applies `update` to each parameter that has a gradient, group by group.
    public func step() {
        for group in paramGroups {
            for parameter in group.parameters {
                guard let gradient = parameter.grad else { continue }
                update(parameter.value, gradient: gradient, state: parameterState(for: parameter), group: group)
            }
        }
    }

    /// The update rule for one parameter, called by ``step()`` for each parameter that has a
    /// gradient: subclasses override it and write `parameter` in place (through
    /// `withUnsafeMutableBufferPointer`, so every holder of the parameter sees the new values).
    ///
    /// - Parameters:
    ///   - parameter: the parameter's float32 value, updated in place.
    ///   - gradient: its gradient (same shape); read it, do not change it.
    ///   - state: this parameter's state, kept between steps: count steps in `step` (set `hasStep`)
    ///     and keep running averages in `buffer(_:like:initial:)`.
    ///   - group: the parameter's group: learning rate and options.
    open func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<Options>) {
        usageFailure("\(Self.name) does not implement update(_:gradient:state:group:)")
    }

    /// The state of `parameter`, created empty on first use.
    @inline(__always)
    func parameterState(for parameter: Parameter) -> ParameterState {
        let key = ObjectIdentifier(parameter)
        if let existing = state[key] { return existing }
        let created = ParameterState()
        state[key] = created
        return created
    }

    /// Every parameter, group by group.
    public var parameters: [Parameter] { paramGroups.flatMap(\.parameters) }

    /// Each group's learning rate.
    public var learningRates: [Double] {
        get { paramGroups.map(\.lr) }
        set {
            usagePrecondition(newValue.count == paramGroups.count,
                         "\(Self.name).learningRates: got \(newValue.count) values for \(paramGroups.count) parameter groups")
            for i in paramGroups.indices { paramGroups[i].lr = newValue[i] }
        }
    }

    /// Each group's cycled momentum, or `nil` when these options have none.
    public var momenta: [Double]? {
        get {
            let values = paramGroups.compactMap(\.options.cycledMomentum)
            return values.count == paramGroups.count ? values : nil
        }
        set {
            guard let newValue else { return }
            usagePrecondition(newValue.count == paramGroups.count,
                         "\(Self.name).momenta: got \(newValue.count) values for \(paramGroups.count) parameter groups")
            usagePrecondition(momenta != nil, "\(Self.name) has no momentum to set")
            for i in paramGroups.indices { paramGroups[i].options.cycledMomentum = newValue[i] }
        }
    }

    /// Clears every parameter's gradient: to `nil`, or to zeros in place.
    public func zeroGrad(setToNone: Bool) {
        for group in paramGroups {
            for parameter in group.parameters {
                if setToNone {
                    parameter.value.clearGradient()
                } else if let gradient = parameter.grad {
                    gradient.fill(0)
                }
            }
        }
    }
}
