/// Epochs until the stop rule ends training (Lightning's `_FitLoop`).
final class FitLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    let epochLoop: TrainingEpochLoop<M>
    let rule: StopRule

    init(hooks: HookDispatcher<M>, epochLoop: TrainingEpochLoop<M>, rule: StopRule) {
        self.hooks = hooks
        self.epochLoop = epochLoop
        self.rule = rule
    }

    /// Trains from the current progress to the end.
    func run() throws {
        try hooks.onTrainStart()
        var notedMinimums = false
        while stop == nil {
            let trainer = hooks.trainer
            if rule.defersRequestedStop(trainer.stopState) && !notedMinimums {
                notedMinimums = true
                TrainerLog.info("Trainer was signaled to stop but the required `minEpochs=\(rule.minEpochs.map(String.init) ?? "nil")` or "
                                + "`minSteps=\(rule.minSteps.map(String.init) ?? "nil")` has not been met. Training will continue...")
            }
            try trainer.profiled(ProfiledRun.runTrainingEpoch) { try epochLoop.run() }
        }
        if let message = stop?.message { TrainerLog.info(message) }
        try hooks.onTrainEnd()
    }

    /// Why training ends now, or `nil` while it goes on.
    var stop: FitStop? {
        rule.fitStop(hooks.trainer.stopState, trainingBatches: epochLoop.batches)
    }
}
