/// Which parameters train: all of them off for inference (`freeze`), or only one optimizer's
/// while its loss is computed (`toggleOptimizer`), as Lightning's module methods.
extension LightningModuleBase {
    /// Stops every parameter from receiving gradients and switches to evaluation mode
    /// (Lightning's `freeze()`); returns the module.
    ///
    /// Under data parallelism a parameter frozen when `fit` starts has no place in the averaged
    /// gradient buffer: unfreeze before `fit`, not during it, what the replicas must train together.
    @discardableResult
    public func freeze() -> Self {
        for parameter in parameters() { parameter.requiresGrad = false }
        return eval()
    }

    /// Lets every parameter receive gradients again and switches to training mode (Lightning's
    /// `unfreeze()`); returns the module.
    @discardableResult
    public func unfreeze() -> Self {
        for parameter in parameters() { parameter.requiresGrad = true }
        return train()
    }

    /// Lets only `optimizer`'s parameters receive gradients (Lightning's `toggle_optimizer`): every
    /// other parameter of the run's optimizers stops requiring one, keeping what it accumulated.
    /// A parameter two optimizers share follows `optimizer`; one frozen before stays frozen.
    /// ``untoggleOptimizer(_:)`` puts the others back.
    public func toggleOptimizer(_ optimizer: any Optimizer) {
        var saved: [ObjectIdentifier: Bool] = [:]
        for other in optimizers() {
            for parameter in other.parameters where saved[ObjectIdentifier(parameter)] == nil {
                saved[ObjectIdentifier(parameter)] = parameter.requiresGrad
                parameter.setRequiresGrad(false, keepingGradient: true)
            }
        }
        for parameter in optimizer.parameters {
            parameter.setRequiresGrad(saved[ObjectIdentifier(parameter)] ?? parameter.requiresGrad, keepingGradient: true)
        }
        runtime.requiresGradBeforeToggle = saved
    }

    /// Gives the parameters of every optimizer but `optimizer` the `requiresGrad` they had before
    /// ``toggleOptimizer(_:)`` (Lightning's `untoggle_optimizer`).
    public func untoggleOptimizer(_ optimizer: any Optimizer) {
        let saved = runtime.requiresGradBeforeToggle
        for other in optimizers() where !Self.same(other, optimizer) {
            for parameter in other.parameters {
                if let flag = saved[ObjectIdentifier(parameter)] { parameter.setRequiresGrad(flag, keepingGradient: true) }
            }
        }
        runtime.requiresGradBeforeToggle = [:]
    }

    /// Whether two optimizers are one, either of them possibly the Trainer's wrapper of the other.
    private static func same(_ a: any Optimizer, _ b: any Optimizer) -> Bool {
        let unwrap = { (optimizer: any Optimizer) -> AnyObject in (optimizer as? LightningOptimizer)?.base ?? optimizer }
        return unwrap(a) === unwrap(b)
    }
}
