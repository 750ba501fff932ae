/// Anything that sets an optimizer's learning rates during training and can be checkpointed.
///
/// Step-driven schedulers refine it as ``LRScheduler``; ``ReduceLROnPlateau`` is driven by a
/// metric instead (`step(metric:)`). A Trainer keeps `any LearningRateScheduler` and checks which.
public protocol LearningRateScheduler: AnyObject {
    /// The learning rate of each group as this scheduler last set it.
    var lastLR: [Double] { get }

    /// The scheduler's progress as plain values (optimizer learning rates live in the optimizer's own state).
    func stateDict() -> LRSchedulerState

    /// Restores ``stateDict()``'s progress; throws naming the mismatch and changes nothing if it
    /// came from another scheduler type or an optimizer with another number of groups.
    func loadStateDict(_ state: LRSchedulerState) throws
}
