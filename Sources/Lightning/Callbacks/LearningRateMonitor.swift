/// Logs each optimizer group's learning rate to the loggers (Lightning's `LearningRateMonitor`):
/// `lr-<Optimizer>` (or the scheduler config's `name`), `/pg<i>` suffixed when there are several groups.
public final class LearningRateMonitor: Callback {
    /// When to log: every optimizer step (`step`) or every epoch (`epoch`, `nil` follows each scheduler's interval).
    public let loggingInterval: LRSchedulerConfig.Interval?

    /// A learning-rate monitor.
    public init(loggingInterval: LRSchedulerConfig.Interval? = nil) {
        self.loggingInterval = loggingInterval
    }

    /// Logs at the start of each step, when asked per step.
    public func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
        guard loggingInterval != .epoch, !trainer.isAccumulating,
              (trainer.progress.batchesThatStepped + 1) % trainer.logEveryNSteps == 0 else { return }
        let values = rates(trainer, interval: .step)
        if !values.isEmpty { try trainer.sendToLoggers(values, step: trainer.progress.batchesThatStepped) }
    }

    /// Logs at the start of each epoch, when asked per epoch.
    public func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
        guard loggingInterval != .step else { return }
        let values = rates(trainer, interval: .epoch)
        if !values.isEmpty { try trainer.sendToLoggers(values, step: trainer.progress.batchesThatStepped) }
    }

    /// The learning rates to log now, by key.
    func rates(_ trainer: Trainer, interval: LRSchedulerConfig.Interval) -> [String: Double] {
        var values: [String: Double] = [:]
        let configs = trainer.lrSchedulerConfigs
        for (i, optimizer) in trainer.baseOptimizers.enumerated() {
            let config = configs.first { $0.scheduler.optimizerIdentity == ObjectIdentifier(optimizer) }
            let due = loggingInterval == interval || (loggingInterval == nil && (config?.interval ?? .epoch) == interval)
            guard due else { continue }
            let name = config?.name ?? "lr-\(String(describing: type(of: optimizer)))" + (trainer.optimizers.count > 1 ? "-\(i)" : "")
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
