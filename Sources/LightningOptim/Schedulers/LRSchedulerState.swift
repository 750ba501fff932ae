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
