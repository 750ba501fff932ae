/// Multiplies each group's learning rate by `factor` when a monitored metric has not improved for
/// more than `patience` checks (PyTorch's `ReduceLROnPlateau`); driven by `step(metric:)`.
public final class ReduceLROnPlateau: LearningRateScheduler {
    /// Whether lower or higher metric values are better.
    public enum Mode: String, Codable, Sendable {
        /// Lower is better (a loss).
        case min
        /// Higher is better (an accuracy).
        case max
    }

    /// How `threshold` defines a significant improvement.
    public enum ThresholdMode: String, Codable, Sendable {
        /// Better than `best · (1 ∓ threshold)`.
        case rel
        /// Better than `best ∓ threshold`.
        case abs
    }

    /// The optimizer whose learning rates this scheduler lowers.
    public let optimizer: any Optimizer
    /// Whether lower or higher is better.
    public let mode: Mode
    /// The factor applied on a plateau.
    public let factor: Double
    /// Checks without improvement tolerated before lowering the learning rate.
    public let patience: Int
    /// The margin of a significant improvement.
    public let threshold: Double
    /// Whether `threshold` is relative or absolute.
    public let thresholdMode: ThresholdMode
    /// Checks to wait after a reduction before counting bad checks again.
    public let cooldown: Int
    /// Each group's lower bound.
    public let minLRs: [Double]
    /// Reductions smaller than this are skipped.
    public let eps: Double

    /// The best metric seen so far.
    public private(set) var best: Double
    /// Consecutive checks without improvement.
    public private(set) var numBadEpochs = 0
    /// Checks left in the current cooldown.
    public private(set) var cooldownCounter = 0
    /// Checks so far.
    public private(set) var lastEpoch = 0
    /// The learning rates after the last check.
    public private(set) var lastLR: [Double]
    let baseLRs: [Double]

    /// Lowers `optimizer`'s learning rates on plateaus, never below `minLR`.
    public convenience init(_ optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                            threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                            minLR: Double = 0, eps: Double = 1e-8) {
        self.init(optimizer, mode: mode, factor: factor, patience: patience, threshold: threshold,
                  thresholdMode: thresholdMode, cooldown: cooldown,
                  minLRs: Array(repeating: minLR, count: optimizer.learningRates.count), eps: eps)
    }

    /// Lowers `optimizer`'s learning rates on plateaus, never below `minLRs[i]` in group `i`.
    public init(_ optimizer: any Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
                threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
                minLRs: [Double], eps: Double = 1e-8) {
        let groups = optimizer.learningRates.count
        usagePrecondition(factor < 1 && factor >= 0, "ReduceLROnPlateau: factor should be in [0, 1), got \(factor)")
        usagePrecondition(patience >= 0 && cooldown >= 0,
                     "ReduceLROnPlateau: patience and cooldown must be >= 0, got \(patience) and \(cooldown)")
        usagePrecondition(threshold.isFinite && threshold >= 0, "ReduceLROnPlateau: threshold must be finite and >= 0, got \(threshold)")
        usagePrecondition(minLRs.count == groups, "ReduceLROnPlateau: expected \(groups) minLRs, got \(minLRs.count)")
        usagePrecondition(minLRs.allSatisfy { $0.isFinite && $0 >= 0 }, "ReduceLROnPlateau: minLRs must be finite and >= 0, got \(minLRs)")
        self.optimizer = optimizer
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minLRs = minLRs
        self.eps = eps
        self.best = mode == .min ? .infinity : -.infinity
        self.lastLR = optimizer.learningRates
        self.baseLRs = lastLR
    }

    /// Records `metric` for the epoch just finished and lowers the learning rates on a plateau.
    public func step(metric: Double) {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0  // bad checks during cooldown do not count
        }
        if numBadEpochs > patience {
            reduceLR()
            cooldownCounter = cooldown
            numBadEpochs = 0
        }
        lastLR = optimizer.learningRates
    }

    /// Records `metric` (a float scalar).
    public func step(metric: Float) { step(metric: Double(metric)) }

    /// Whether `metric` improves significantly on `best`.
    func isBetter(_ metric: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): return metric < best * (1 - threshold)
        case (.min, .abs): return metric < best - threshold
        case (.max, .rel): return metric > best * (threshold + 1)
        case (.max, .abs): return metric > best + threshold
        }
    }

    /// Multiplies each learning rate by `factor`, bounded below by its `minLR`.
    func reduceLR() {
        var lrs = optimizer.learningRates
        for i in lrs.indices {
            let reduced = Swift.max(lrs[i] * factor, minLRs[i])
            if lrs[i] - reduced > eps { lrs[i] = reduced }
        }
        optimizer.learningRates = lrs
    }

    /// The progress (`best` is left out while it is still ±infinity, which JSON cannot hold).
    public func stateDict() -> LRSchedulerState {
        var values: [String: Double] = ["num_bad_epochs": Double(numBadEpochs), "cooldown_counter": Double(cooldownCounter)]
        if best.isFinite { values["best"] = best }
        return LRSchedulerState(scheduler: "ReduceLROnPlateau", lastEpoch: lastEpoch, stepCount: lastEpoch,
                                baseLRs: baseLRs, lastLR: lastLR, values: values)
    }

    /// Restores ``stateDict()``'s progress.
    public func loadStateDict(_ state: LRSchedulerState) throws {
        let name = "ReduceLROnPlateau"
        try checkSchedulerState(state, name: name, groups: baseLRs.count)
        let bad = try progressValue(state.values, "num_bad_epochs", scheduler: name)
        let cooling = try progressValue(state.values, "cooldown_counter", scheduler: name)
        guard bad >= 0, cooling >= 0 else {
            throw OptimizerError.stateDictMismatch("\(name).loadStateDict: negative counters \(state.values)")
        }
        best = state.values["best"] ?? (mode == .min ? .infinity : -.infinity)
        numBadEpochs = Int(bad)
        cooldownCounter = Int(cooling)
        lastEpoch = state.lastEpoch
        lastLR = state.lastLR
    }
}
