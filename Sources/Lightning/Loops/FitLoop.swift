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
        var notedMinimums = false
        while stop == nil {
            let trainer = hooks.trainer
            if trainer.shouldStop && !notedMinimums {
                notedMinimums = true
                TrainerLog.info("Trainer was signaled to stop but the required `minEpochs=\(trainer.minEpochs.map(String.init) ?? "nil")` or "
                                + "`minSteps=\(trainer.minSteps.map(String.init) ?? "nil")` has not been met. Training will continue...")
            }
            try epochLoop.run()
        }
        if let message = stop?.message { TrainerLog.info(message) }
        try hooks.onTrainEnd()
    }

    /// Why training ends now, or `nil` while it goes on: max steps or epochs reached, or a stop
    /// requested once the minimums are met (`maxTime`'s TrainingTimer requests one, the same on
    /// every process).
    var stop: FitStop? {
        let trainer = hooks.trainer
        if trainer.numTrainingBatches == 0 { return .noTrainingBatches }
        if let maxSteps = trainer.maxSteps, maxSteps >= 0, trainer.globalStep >= maxSteps { return .maxSteps(maxSteps) }
        if let maxEpochs = trainer.effectiveMaxEpochs, trainer.currentEpoch >= maxEpochs { return .maxEpochs(maxEpochs) }
        return trainer.shouldStop && trainer.canStopEarly ? .requested : nil
    }
}

/// Why a fit ends.
enum FitStop {
    case noTrainingBatches, maxSteps(Int), maxEpochs(Int), requested

    /// Lightning's line for the limits it reports (a requested stop is explained by whoever requested it).
    var message: String? {
        switch self {
        case .maxSteps(let n): return "`Trainer.fit` stopped: `maxSteps=\(n)` reached."
        case .maxEpochs(let n): return "`Trainer.fit` stopped: `maxEpochs=\(n)` reached."
        case .noTrainingBatches, .requested: return nil
        }
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
