/// A scheduler advanced by `step()`, after the optimizer's step, once per epoch or per batch
/// (which one is the Trainer's `interval`).
public protocol LRScheduler: LearningRateScheduler {
    /// Moves to the next epoch (or batch) and writes the new learning rates into the optimizer.
    func step()
}
