/// One pass over a validation or test loader in eval mode without gradients (Lightning's
/// `_EvaluationLoop`, shared by validation during fit, `validate` and `test`).
struct EvaluationLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    let stage: ResultStage

    /// What an evaluation run produced: values for the loggers and every epoch value by key.
    struct Output {
        var forLoggers: [String: Double]
        var metrics: [String: Double]
    }

    /// Runs up to `limit` batches of `loader`; `publish` gets the epoch metrics before the end
    /// hook (so ModelCheckpoint's `onValidationEnd` sees them logged). In a sanity check the
    /// metrics are computed and dropped.
    func run(loader: DataLoader<M.Batch>, limit: Int, sanityCheck: Bool = false,
             publish: (Output) throws -> Void = { _ in }) throws -> Output {
        let trainer = hooks.trainer
        let module = hooks.module
        let wasTraining = module.isTraining
        module.eval()
        defer { if wasTraining { module.train() } }
        return try noGrad {
            try hooks.onEvaluationStart(stage)
            try hooks.onEvaluationEpochStart(stage)
            var outputs = EvaluationOutputs<M>()
            if limit > 0 {
                var index = 0
                var fetcher = loader.makeIterator()
                let next = ProfiledRun.evaluationDataloaderNext(stage)
                while let batch = trainer.profiled(next, { fetcher.next().map(hooks.onDevice) }) {
                    trainer.logConnector.beginBatch(batch)
                    try hooks.onEvaluationBatchStart(stage, batch, index)
                    try hooks.evaluationStep(stage, batch, index, outputs: &outputs)
                    try hooks.onEvaluationBatchEnd(stage, batch, index)
                    index += 1
                    if index >= limit { break }
                }
            }
            try hooks.evaluationEpochEndOutputs(stage, &outputs)
            try hooks.onEvaluationEpochEnd(stage)
            let (forLoggers, metrics) = try trainer.profiled(ProfiledRun.reduceEpochMetrics) {
                try trainer.logConnector.epochMetrics(stage, strategy: trainer.strategy, updateStores: !sanityCheck)
            }
            let output = Output(forLoggers: forLoggers, metrics: metrics)
            if !sanityCheck { try publish(output) }
            try hooks.onEvaluationEnd(stage)
            return output
        }
    }
}
