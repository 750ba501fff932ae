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

    /// Clips the gradients of `optimizer`'s parameters (Lightning's `clip_gradients`): by their
    /// global 2-norm (`.norm`) or element-wise (`.value`).
    public func clipGradients(_ optimizer: any Optimizer, gradientClipVal: Double, gradientClipAlgorithm: GradientClipAlgorithm = .norm) {
        usagePrecondition(gradientClipVal >= 0 && gradientClipVal.isFinite, "clipGradients: gradientClipVal \(gradientClipVal) must be finite and >= 0")
        gradientClipAlgorithm.clip(optimizer.parameters, to: gradientClipVal)
    }

    /// Runs backward from `loss` with the `onBeforeBackward` / `onAfterBackward` hooks around it.
    public func manualBackward(_ loss: Tensor) throws {
        guard let backward = runtime.manualBackward else {
            usageFailure("\(type(of: self)).manualBackward: only available inside trainingStep of a Trainer run")
        }
        try backward(loss)
    }
}
