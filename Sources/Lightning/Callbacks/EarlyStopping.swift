/// Stops training when a monitored metric stops improving (Lightning's `EarlyStopping`):
/// after `patience` checks without an improvement of at least `minDelta`, when it crosses a
/// stopping or divergence threshold, or when it is not finite.
public final class EarlyStopping: MonitoringCallback {
    /// The metric watched.
    public let monitor: String
    /// The smallest change that counts as an improvement.
    public let minDelta: Double
    /// Checks without improvement before stopping.
    public let patience: Int
    /// Whether lower or higher is better.
    public let mode: MonitorMode
    /// Whether a missing metric is an error (otherwise the check is skipped).
    public let strict: Bool
    /// Stop when the metric is NaN or infinite.
    public let checkFinite: Bool
    /// Stop once the metric is better than this.
    public let stoppingThreshold: Double?
    /// Stop once the metric is worse than this.
    public let divergenceThreshold: Double?
    /// Check at the end of the training epoch rather than after validation (`nil`: decide as Lightning).
    public let checkOnTrainEpochEnd: Bool?
    /// Whether to print why training stops.
    public let verbose: Bool

    /// Checks in a row without improvement.
    public private(set) var waitCount = 0
    /// The epoch in which the stop was signalled (0 if never).
    public private(set) var stoppedEpoch = 0
    /// The best value so far.
    public private(set) var bestScore: Double
    /// Why training was stopped, if it was.
    public private(set) var stoppingReason: String?
    private var resolvedCheckOnTrainEpochEnd = false

    /// An early-stopping callback with Lightning's defaults.
    public init(monitor: String, minDelta: Double = 0, patience: Int = 3, mode: MonitorMode = .min, strict: Bool = true,
                checkFinite: Bool = true, stoppingThreshold: Double? = nil, divergenceThreshold: Double? = nil,
                checkOnTrainEpochEnd: Bool? = nil, verbose: Bool = false) {
        usagePrecondition(patience >= 0, "EarlyStopping: patience \(patience) must be >= 0")
        self.monitor = monitor
        self.minDelta = abs(minDelta)
        self.patience = patience
        self.mode = mode
        self.strict = strict
        self.checkFinite = checkFinite
        self.stoppingThreshold = stoppingThreshold
        self.divergenceThreshold = divergenceThreshold
        self.checkOnTrainEpochEnd = checkOnTrainEpochEnd
        self.verbose = verbose
        self.bestScore = mode.worst
    }

    /// Lightning's key: `EarlyStopping{'monitor': 'val_loss', 'mode': 'min'}`.
    public var stateKey: String { "EarlyStopping{'monitor': '\(monitor)', 'mode': '\(mode.rawValue)'}" }

    /// Decides where the check runs: at the epoch end when validation runs there.
    public func setup(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {
        resolvedCheckOnTrainEpochEnd = checkOnTrainEpochEnd ?? (trainer.valCheckInterval == .fraction(1.0) && trainer.checkValEveryNEpoch == 1)
    }

    /// Checks at the end of the epoch.
    public func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {
        guard resolvedCheckOnTrainEpochEnd, !skips(trainer) else { return }
        try check(trainer)
    }

    /// Checks after validation.
    public func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws {
        guard !resolvedCheckOnTrainEpochEnd, !skips(trainer) else { return }
        try check(trainer)
    }

    private func skips(_ trainer: Trainer) -> Bool { trainer.stage != .fit || trainer.sanityChecking || trainer.fastDevRun > 0 }

    private func check(_ trainer: Trainer) throws {
        guard let current = trainer.callbackMetrics[monitor] else {
            if strict { try trainer.missingMonitoredMetric(monitor, by: "EarlyStopping(monitor: \"\(monitor)\")") }
            return
        }
        let (stop, reason) = evaluate(current)
        if stop {
            trainer.shouldStop = true
            stoppedEpoch = trainer.currentEpoch
            stoppingReason = reason
        }
        // As Lightning: the reason, the stop included, is printed only when verbose.
        if let reason, verbose { TrainerLog.info(reason) }
    }

    /// Lightning's stopping criteria, in its order.
    private func evaluate(_ current: Double) -> (Bool, String?) {
        if checkFinite && !current.isFinite {
            return (true, "Monitored metric \(monitor) = \(current) is not finite. Previous best value was \(bestScore). Signaling Trainer to stop.")
        }
        if let stoppingThreshold, mode.isBetter(current, than: stoppingThreshold) {
            return (true, "Stopping threshold reached: \(monitor) = \(current) \(mode == .min ? "<" : ">") \(stoppingThreshold). Signaling Trainer to stop.")
        }
        if let divergenceThreshold, mode.isBetter(divergenceThreshold, than: current) {
            return (true, "Divergence threshold reached: \(monitor) = \(current) \(mode == .min ? ">" : "<") \(divergenceThreshold). Signaling Trainer to stop.")
        }
        let shifted = mode == .min ? current + minDelta : current - minDelta
        if mode.isBetter(shifted, than: bestScore) {
            let previous = bestScore
            bestScore = current
            waitCount = 0
            return (false, previous.isFinite ? "Metric \(monitor) improved by \(abs(previous - current)) >= min_delta = \(minDelta). New best score: \(current)"
                                              : "Metric \(monitor) improved. New best score: \(current)")
        }
        waitCount += 1
        if waitCount >= patience {
            return (true, "Monitored metric \(monitor) did not improve in the last \(waitCount) records. Best score: \(bestScore). Signaling Trainer to stop.")
        }
        return (false, nil)
    }

    private struct State: Codable {
        var wait_count: Int
        var stopped_epoch: Int
        var best_score: Double
        var patience: Int
    }

    /// Lightning's state: wait count, stopped epoch, best score, patience.
    public func stateDict() throws -> JSONValue? {
        try JSONValue(encoding: State(wait_count: waitCount, stopped_epoch: stoppedEpoch, best_score: bestScore, patience: patience))
    }

    /// Restores the wait count, stopped epoch and best score.
    public func loadStateDict(_ state: JSONValue) throws {
        let saved: State = try state.decode()
        waitCount = saved.wait_count
        stoppedEpoch = saved.stopped_epoch
        bestScore = saved.best_score
    }
}
