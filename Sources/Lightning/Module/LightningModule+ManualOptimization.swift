/// Manual optimization: with `automaticOptimization = false` the training step runs backward
/// and steps the optimizers itself, as in Lightning.
extension LightningModuleBase {
    /// The optimizers `configureOptimizers` returned, in order.
    public func optimizers() -> [any Optimizer] {
        guard let configuration = runtime.configuration else {
            usageFailure("\(type(of: self)).optimizers(): no optimizers yet; they exist once the Trainer has called configureOptimizers()")
        }
        return configuration.optimizers
    }

    /// The learning rate schedulers `configureOptimizers` returned, in order.
    public func lrSchedulers() -> [any LearningRateScheduler] {
        runtime.configuration?.entries.compactMap { $0.scheduler?.scheduler } ?? []
    }

    /// Runs backward from `loss` with the `onBeforeBackward` / `onAfterBackward` hooks around it.
    public func manualBackward(_ loss: Tensor) throws {
        guard let backward = runtime.manualBackward else {
            usageFailure("\(type(of: self)).manualBackward: only available inside trainingStep of a Trainer run")
        }
        try backward(loss)
    }
}
