/// The defaults of the optimization hooks a module may override: what the Trainer does when
/// the module says nothing.
extension LightningModuleProtocol {
    /// Runs `closure` (training step and backward), then steps the optimizer.
    public func optimizerStep(epoch: Int, batchIndex: Int, optimizer: any Optimizer, closure: () throws -> Void) throws {
        try optimizer.step(closure: closure)
    }

    /// Steps an ``LRScheduler``, or a ``ReduceLROnPlateau`` with `metric`; throws for any other
    /// scheduler, which only an override of this hook knows how to step.
    public func lrSchedulerStep(scheduler: any LearningRateScheduler, metric: Double?) throws {
        if let plateau = scheduler as? ReduceLROnPlateau, let metric {
            plateau.step(metric: metric)
        } else if let stepped = scheduler as? LRScheduler {
            stepped.step()
        } else {
            throw LightningError.misconfiguration("\(type(of: self)): the Trainer cannot step \(type(of: scheduler)); conform it to LRScheduler, "
                + "whose step() the Trainer calls at each interval, or implement lrSchedulerStep(scheduler:metric:) to step it")
        }
    }

    /// Clips with the Trainer's settings.
    public func configureGradientClipping(optimizer: any Optimizer, gradientClipVal: Double?, gradientClipAlgorithm: GradientClipAlgorithm?) throws {
        try clipGradients(optimizer, gradientClipVal: gradientClipVal, gradientClipAlgorithm: gradientClipAlgorithm)
    }
}
