import Foundation

/// The learning-rate sweep a ``LearningRateFinder`` runs inside `fit`'s `onFitStart`.
extension Trainer {
    /// Trains up to `recorder.numTraining` optimizer steps from a fresh progress, with `recorder`
    /// as the only callback, no logger, no scheduler and no validation, then puts back what the
    /// sweep changed (weights, optimizer and scheduler state, the default random generator, the
    /// training loader's position, progress, callbacks, loggers, metrics). Returns rank 0's record.
    func sweepLearningRate(_ recorder: LearningRateSweepRecorder) throws -> LearningRateFinderResult {
        guard let run = activeRun, let sweep = run.trainingSweep else {
            throw LightningError.misconfiguration("LearningRateFinder sweeps in fit's onFitStart; it cannot run in \(stage.map { "\($0)" } ?? "no stage")")
        }
        let module = run.module
        // Copies, not views: the sweep's optimizer steps write the parameters in place.
        let weights = module.stateDict().mapValues { $0.copied() }
        let optimizerStates = baseOptimizers.map { $0.stateDict() }
        let schedulerStates = lrSchedulerConfigs.map { $0.scheduler.stateDict() }
        let (savedProgress, savedStop, savedCallbacks, savedLoggers) = (progress, shouldStop, callbacks, loggers)
        let (savedSchedulers, savedGenerator, savedResults) = (lrSchedulerConfigs, Generator.default.state, logConnector.train.state)
        let savedMetrics = (logConnector.callbackMetrics, logConnector.loggedMetrics, logConnector.progressBarMetrics)
        defer {
            (progress, shouldStop, callbacks, loggers, lrSchedulerConfigs) = (savedProgress, savedStop, savedCallbacks, savedLoggers, savedSchedulers)
            Generator.default.state = savedGenerator
            logConnector.train.restore(savedResults)
            (logConnector.callbackMetrics, logConnector.loggedMetrics, logConnector.progressBarMetrics) = savedMetrics
            isAccumulating = false
        }
        progress = FitProgress()
        shouldStop = false
        callbacks = [recorder]
        loggers = []
        lrSchedulerConfigs = []
        logConnector.train.reset()
        try sweep(StopRule(maxEpochs: -1, maxSteps: recorder.numTraining, minEpochs: nil, minSteps: nil, fastDevRun: 0))
        try module.loadStateDict(weights)
        for (optimizer, state) in zip(baseOptimizers, optimizerStates) { try optimizer.loadStateDict(state) }
        for (config, state) in zip(savedSchedulers, schedulerStates) { try config.scheduler.loadStateDict(state) }
        // Every rank keeps rank 0's record, so every rank picks the same rate (Lightning broadcasts it).
        return try strategy.broadcast(recorder.result)
    }
}
