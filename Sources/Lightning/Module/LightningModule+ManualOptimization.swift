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
    /// global 2-norm (`.norm`) or element-wise (`.value`). A `nil` value or algorithm takes the
    /// Trainer's (no value: nothing is clipped); passing one that contradicts the Trainer's
    /// `gradientClipVal` / `gradientClipAlgorithm` is an error, as in Lightning.
    public func clipGradients(_ optimizer: any Optimizer, gradientClipVal: Double? = nil, gradientClipAlgorithm: GradientClipAlgorithm? = nil) throws {
        let trainerValue = trainer?.gradientClipVal
        if let gradientClipVal, let trainerValue, gradientClipVal != trainerValue {
            throw LightningError.misconfiguration("\(type(of: self)): you have set Trainer(gradientClipVal: \(trainerValue)) and passed "
                + "clipGradients(gradientClipVal: \(gradientClipVal)); use only one of them")
        }
        if let gradientClipAlgorithm, trainerValue != nil, let trainerAlgorithm = trainer?.gradientClipAlgorithm, gradientClipAlgorithm != trainerAlgorithm {
            throw LightningError.misconfiguration("\(type(of: self)): you have set Trainer(gradientClipAlgorithm: .\(trainerAlgorithm)) and passed "
                + "clipGradients(gradientClipAlgorithm: .\(gradientClipAlgorithm)); use only one of them")
        }
        let value = gradientClipVal ?? trainerValue ?? 0
        guard value >= 0 && value.isFinite else {
            throw LightningError.misconfiguration("\(type(of: self)).clipGradients: gradientClipVal \(value) must be finite and >= 0")
        }
        // Nothing to clip: return before gathering the optimizer's parameters.
        guard value > 0 else { return }
        (gradientClipAlgorithm ?? trainer?.gradientClipAlgorithm ?? .norm).clip(optimizer.parameters, to: value)
    }

    /// Runs backward from `loss` with the `onBeforeBackward` / `onAfterBackward` hooks around it.
    public func manualBackward(_ loss: Tensor) throws {
        guard let backward = runtime.manualBackward else {
            usageFailure("\(type(of: self)).manualBackward: only available inside trainingStep of a Trainer run")
        }
        try backward(loss)
    }
}
