/// The machinery shared by the step-driven schedulers, as in PyTorch's `LRScheduler`: it records
/// the base learning rates, takes the initial step on construction, and on each `step()` writes
/// `computeLR()` into the optimizer.
///
/// Subclasses use PyTorch's chainable (recursive) formulas from the current learning rates, so
/// they give PyTorch's numbers exactly, and so does a run resumed from a checkpoint.
public class LRSchedulerBase: LRScheduler {
    /// The optimizer whose learning rates this scheduler sets.
    public let optimizer: any Optimizer
    /// Each group's learning rate when the schedule started.
    public internal(set) var baseLRs: [Double]
    /// PyTorch's `last_epoch`: 0 after construction, +1 per `step()`.
    public internal(set) var lastEpoch: Int = -1
    /// `step()` calls including the initial one.
    public internal(set) var stepCount = 0
    /// The learning rates as last set.
    public internal(set) var lastLR: [Double]

    /// Starts the schedule from `baseLRs` (default: the optimizer's current learning rates) and
    /// takes the initial step. Subclasses set their own properties before calling it.
    init(optimizer: any Optimizer, baseLRs: [Double]? = nil) {
        self.optimizer = optimizer
        self.baseLRs = baseLRs ?? optimizer.learningRates
        self.lastLR = optimizer.learningRates
        step()
    }

    /// The name in messages and state dicts (`StepLR`, …).
    var name: String { String(describing: type(of: self)) }

    /// Advances `lastEpoch` and writes the new learning rates into the optimizer.
    public func step() {
        stepCount += 1
        lastEpoch += 1
        apply(computeLR())
    }

    /// Writes `lrs` into the optimizer and remembers them.
    func apply(_ lrs: [Double]) {
        optimizer.learningRates = lrs
        lastLR = optimizer.learningRates
    }

    /// The learning rates for the current `lastEpoch` (PyTorch's `get_lr`).
    func computeLR() -> [Double] {
        usageFailure("\(name) does not implement computeLR()")
    }

    /// Scheduler-specific progress for the state dict.
    var progressValues: [String: Double] { [:] }

    /// Restores scheduler-specific progress; throws naming a missing or invalid value.
    func restoreProgress(_ values: [String: Double]) throws {}

    /// The progress as plain values.
    public func stateDict() -> LRSchedulerState {
        LRSchedulerState(scheduler: name, lastEpoch: lastEpoch, stepCount: stepCount, baseLRs: baseLRs,
                         lastLR: lastLR, values: progressValues)
    }

    /// Restores the progress from ``stateDict()``; the optimizer's learning rates come from its own state.
    public func loadStateDict(_ state: LRSchedulerState) throws {
        try checkSchedulerState(state, name: name, groups: baseLRs.count)
        try restoreProgress(state.values)
        baseLRs = state.baseLRs
        lastLR = state.lastLR
        lastEpoch = state.lastEpoch
        stepCount = state.stepCount
    }
}

/// Throws unless `state` was saved by scheduler `name` for an optimizer with `groups` groups.
func checkSchedulerState(_ state: LRSchedulerState, name: String, groups: Int) throws {
    guard state.scheduler == name else {
        throw OptimizerError.stateDictMismatch("\(name).loadStateDict: the state dict was saved by \(state.scheduler), not \(name)")
    }
    guard state.baseLRs.count == groups, state.lastLR.count == groups else {
        throw OptimizerError.stateDictMismatch(
            "\(name).loadStateDict: the state dict is for \(state.lastLR.count) parameter groups, the optimizer has \(groups)")
    }
}

/// The value `key` of a scheduler state, or an error naming it.
func progressValue(_ values: [String: Double], _ key: String, scheduler: String) throws -> Double {
    guard let value = values[key], value.isFinite else {
        throw OptimizerError.stateDictMismatch("\(scheduler).loadStateDict: the state dict has no finite '\(key)'")
    }
    return value
}
