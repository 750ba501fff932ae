/// Logs each optimizer group's learning rate to the loggers and `callbackMetrics` (Lightning's
/// `LearningRateMonitor`): `lr-<Optimizer>` (or the scheduler config's `name`), `-1`, `-2`, … for
/// further optimizers of one type, `/pg<i>` suffixed when an optimizer has several groups.
public final class LearningRateMonitor: Callback {
    /// When to log: every optimizer step (`step`) or every epoch (`epoch`, `nil` follows each scheduler's interval).
    public let loggingInterval: LRSchedulerConfig.Interval?

    /// A learning-rate monitor.
    public init(loggingInterval: LRSchedulerConfig.Interval? = nil) {
        self.loggingInterval = loggingInterval
    }

    /// Checks there is a logger to log to, as Lightning does.
    public func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws {
        guard trainer.loggers.isEmpty, trainer.fastDevRun == 0 else { return }
        throw LightningError.misconfiguration("LearningRateMonitor needs a logger, and the Trainer has none (logger: false)")
    }

    /// Logs at the start of each step, when asked per step.
    public func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
        guard loggingInterval != .epoch, !trainer.isAccumulating,
              trainer.stepLoggingDueByCount else { return }
        try log(rates(trainer, interval: .step), trainer)
    }

    /// Logs at the start of each epoch, when asked per epoch.
    public func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
        guard loggingInterval != .step else { return }
        try log(rates(trainer, interval: .epoch), trainer)
    }

    private func log(_ values: [String: Double], _ trainer: Trainer) throws {
        guard !values.isEmpty else { return }
        trainer.logConnector.callbackMetrics.merge(values) { _, new in new }
        try trainer.sendToLoggers(values, step: trainer.progress.batchesThatStepped)
    }

    /// The learning rates to log now, by key. As in Lightning, optimizers with a scheduler are
    /// named first (in scheduler order) and logged at their scheduler's interval; optimizers
    /// without one are named after them and logged at every interval.
    func rates(_ trainer: Trainer, interval: LRSchedulerConfig.Interval) -> [String: Double] {
        let optimizers = trainer.baseOptimizers
        let configs = trainer.lrSchedulerConfigs
        let scheduled = configs.compactMap { config in
            optimizers.first { ObjectIdentifier($0) == config.scheduler.optimizerIdentity }.map { (optimizer: $0, config: Optional(config)) }
        }
        let unscheduled = optimizers.filter { optimizer in !scheduled.contains { $0.optimizer === optimizer } }
            .map { (optimizer: $0, config: LRSchedulerConfig?.none) }
        var values: [String: Double] = [:]
        var seenOfType: [ObjectIdentifier: Int] = [:]
        for (optimizer, config) in scheduled + unscheduled {
            var name = config?.name ?? "lr-\(type(of: optimizer))"
            if config?.name == nil {
                let seen = seenOfType[ObjectIdentifier(type(of: optimizer)), default: 0]
                seenOfType[ObjectIdentifier(type(of: optimizer))] = seen + 1
                if seen > 0 { name += "-\(seen)" }
            }
            let due = loggingInterval != nil || config.map { $0.interval == interval } ?? true
            guard due else { continue }
            let lrs = optimizer.learningRates
            for (g, lr) in lrs.enumerated() { values[lrs.count > 1 ? "\(name)/pg\(g + 1)" : name] = lr }
        }
        return values
    }
}

extension LearningRateScheduler {
    /// The identity of the optimizer this scheduler drives.
    var optimizerIdentity: ObjectIdentifier? {
        if let base = self as? LRSchedulerBase { return ObjectIdentifier(base.optimizer) }
        if let plateau = self as? ReduceLROnPlateau { return ObjectIdentifier(plateau.optimizer) }
        return nil
    }
}
