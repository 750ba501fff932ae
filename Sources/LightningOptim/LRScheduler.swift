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

/// A scheduler advanced by `step()`, after the optimizer's step, once per epoch or per batch
/// (which one is the Trainer's `interval`).
public protocol LRScheduler: LearningRateScheduler {
    /// Moves to the next epoch (or batch) and writes the new learning rates into the optimizer.
    func step()
}

/// A scheduler's progress, `Codable` so checkpoints store it as JSON.
///
/// Hyperparameters (step size, gamma, …) are not included: a resumed run builds the scheduler with
/// its arguments, then restores the progress. Every number is finite, so plain JSON holds it.
public struct LRSchedulerState: Codable, Equatable {
    /// The scheduler type (`StepLR`, `OneCycleLR`, …); loading into another type is an error.
    public var scheduler: String
    /// PyTorch's `last_epoch`: how many times `step()` ran after construction.
    public var lastEpoch: Int
    /// PyTorch's `_step_count`: `step()` calls including the one made by the initializer.
    public var stepCount: Int
    /// Each group's learning rate when the schedule started (PyTorch's `base_lrs`).
    public var baseLRs: [Double]
    /// Each group's learning rate as last set.
    public var lastLR: [Double]
    /// Scheduler-specific progress (`T_cur`, `best`, `num_bad_epochs`, …) by PyTorch's names.
    public var values: [String: Double]

    /// A state from its parts.
    public init(scheduler: String, lastEpoch: Int, stepCount: Int, baseLRs: [Double], lastLR: [Double],
                values: [String: Double] = [:]) {
        self.scheduler = scheduler
        self.lastEpoch = lastEpoch
        self.stepCount = stepCount
        self.baseLRs = baseLRs
        self.lastLR = lastLR
        self.values = values
    }
}
