/// Epochs until a stopping condition holds (Lightning's `_FitLoop`).
final class FitLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    let epochLoop: TrainingEpochLoop<M>

    init(hooks: HookDispatcher<M>, epochLoop: TrainingEpochLoop<M>) {
        self.hooks = hooks
        self.epochLoop = epochLoop
    }

    /// Trains from the current progress to the end.
    func run() throws {
        try hooks.onTrainStart()
        while !done {
            try epochLoop.run()
        }
        try hooks.onTrainEnd()
    }

    /// Max steps or epochs reached, or a stop requested once the minimums are met (`maxTime`'s
    /// TrainingTimer requests one, the same on every process).
    var done: Bool {
        let trainer = hooks.trainer
        if trainer.numTrainingBatches == 0 { return true }
        if let maxSteps = trainer.maxSteps, maxSteps >= 0, trainer.globalStep >= maxSteps { return true }
        if let maxEpochs = trainer.effectiveMaxEpochs, trainer.currentEpoch >= maxEpochs { return true }
        return trainer.shouldStop && trainer.canStopEarly
    }
}

extension Trainer {
    /// Whether `minEpochs` and `minSteps` allow stopping now.
    var canStopEarly: Bool {
        if let minEpochs, currentEpoch < minEpochs { return false }
        if let minSteps, globalStep < minSteps { return false }
        return true
    }

    /// `maxEpochs`, with Lightning's default of 1000 when neither it nor `maxSteps` is set, and
    /// `nil` for no limit (-1).
    var effectiveMaxEpochs: Int? {
        if fastDevRun > 0 { return 1 }
        if let maxEpochs { return maxEpochs == -1 ? nil : maxEpochs }
        if let maxSteps, maxSteps != -1 { return nil }
        return 1000
    }

    /// Training batches between validation runs.
    var valCheckBatch: Int {
        switch valCheckInterval {
        case .count(let n): return max(1, n)
        case .fraction(let f): return max(1, Int(Double(numTrainingBatches) * f))
        }
    }
}
