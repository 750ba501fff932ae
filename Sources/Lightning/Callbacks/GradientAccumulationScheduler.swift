/// Changes `accumulateGradBatches` by epoch (Lightning's `GradientAccumulationScheduler`):
/// `[0: 1, 4: 2]` accumulates 1 batch from epoch 0 and 2 batches from epoch 4.
public final class GradientAccumulationScheduler: Callback {
    /// Epoch → batches to accumulate from that epoch on.
    public let scheduling: [Int: Int]

    /// A schedule; every epoch key must be >= 0 and every value >= 1.
    public init(scheduling: [Int: Int]) {
        usagePrecondition(!scheduling.isEmpty, "GradientAccumulationScheduler: the schedule is empty")
        for (epoch, factor) in scheduling {
            usagePrecondition(epoch >= 0 && factor >= 1, "GradientAccumulationScheduler: epoch \(epoch) → \(factor) must have epoch >= 0 and factor >= 1")
        }
        self.scheduling = scheduling
    }

    /// The factor in effect at `epoch`.
    public func factor(at epoch: Int) -> Int {
        scheduling.filter { $0.key <= epoch }.max { $0.key < $1.key }?.value ?? 1
    }

    /// Checks the module optimizes automatically.
    public func onFitStart(trainer: Trainer, module: LightningModuleBase) throws {
        guard module.automaticOptimization else {
            throw LightningError.misconfiguration("GradientAccumulationScheduler needs automatic optimization; \(type(of: module)) sets automaticOptimization = false")
        }
    }

    /// Sets the factor of the current epoch, which a run resumed mid-epoch starts inside.
    public func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws {
        trainer.accumulateGradBatches = factor(at: trainer.currentEpoch)
    }

    /// Sets the factor for the epoch that starts.
    public func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
        trainer.accumulateGradBatches = factor(at: trainer.currentEpoch)
    }
}
