/// One pass over a stage's validation or test loaders, one after the other, in eval mode
/// without gradients (Lightning's `_EvaluationLoop`, shared by validation during fit, `validate`
/// and `test`).
struct EvaluationLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    let stage: ResultStage

    /// What an evaluation run produced: values for the loggers, every epoch value by key, and
    /// each loader's values (its own and those logged outside any loader's batches).
    struct Output {
        var forLoggers: [String: Double]
        var metrics: [String: Double]
        var perLoader: [[String: Double]]
    }

    /// Runs up to `limits[i]` batches of each `loaders[i]`, loader after loader; `publish` gets
    /// the epoch metrics before the end hook (so ModelCheckpoint's `onValidationEnd` sees them
    /// logged). In a sanity check the metrics are computed and dropped.
    ///
    /// With several loaders the steps and batch hooks get each batch's loader index and its
    /// metrics are keyed `/dataloader_idx_N`; with one, nothing changes from a run of one loader.
    func run(loaders: [DataLoader<M.Batch>], limits: [Int], sanityCheck: Bool = false,
             publish: (Output) throws -> Void = { _ in }) throws -> Output {
        precondition(loaders.count == limits.count, "EvaluationLoop: \(loaders.count) loaders for \(limits.count) limits")
        let trainer = hooks.trainer
        let module = hooks.module
        let wasTraining = module.isTraining
        module.eval()
        trainer.runningLoaderCount = loaders.count
        defer {
            if wasTraining { module.train() }
            trainer.runningLoaderCount = 1
            trainer.logConnector.dataloaderIndex = nil
        }
        return try trainer.withoutGradients {
            try hooks.onEvaluationStart(stage)
            try hooks.onEvaluationEpochStart(stage)
            var outputs = EvaluationOutputs<M>()
            let next = ProfiledRun.evaluationDataloaderNext(stage)
            for (loaderIndex, (loader, limit)) in zip(loaders, limits).enumerated() where limit > 0 {
                // Lightning tags metrics with the loader only when there are several.
                let tag = loaders.count > 1 ? loaderIndex : nil
                var index = 0
                var fetcher = loader.makeIterator()
                while let batch = trainer.profiled(next, { fetcher.next().map(hooks.onDevice) }) {
                    trainer.logConnector.beginBatch(batch)
                    trainer.logConnector.dataloaderIndex = tag
                    try hooks.onEvaluationBatchStart(stage, batch, index, loader: loaderIndex)
                    try hooks.evaluationStep(stage, batch, index, loader: loaderIndex, outputs: &outputs)
                    try hooks.onEvaluationBatchEnd(stage, batch, index, loader: loaderIndex)
                    index += 1
                    if index >= limit { break }
                }
            }
            // Epoch-level hooks log for every loader, as Lightning's do.
            trainer.logConnector.dataloaderIndex = nil
            try hooks.evaluationEpochEndOutputs(stage, &outputs)
            try hooks.onEvaluationEpochEnd(stage)
            let epoch = try trainer.profiled(ProfiledRun.reduceEpochMetrics) {
                try trainer.logConnector.epochMetrics(stage, strategy: trainer.strategy, updateStores: !sanityCheck, loaders: loaders.count)
            }
            let output = Output(forLoggers: epoch.forLoggers, metrics: epoch.metrics, perLoader: epoch.perLoader)
            if !sanityCheck { try publish(output) }
            try hooks.onEvaluationEnd(stage)
            return output
        }
    }
}
