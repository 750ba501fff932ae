/// Inference over a stage's predict loaders, one after the other, in eval mode without
/// gradients (Lightning's `_PredictionLoop`).
struct PredictionLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    /// Where each output goes as soon as it exists (the PredictionWriters' files), if anywhere.
    var stream: PredictionStream? = nil
    /// Whether the outputs are kept for `predict`'s return value; without, memory holds only the
    /// batch in hand.
    var retain = true

    /// What one loader produced on this process.
    struct LoaderOutput {
        /// One output per batch (none unless `retain`).
        var outputs: [M.PredictOutput]
        /// The dataset indices of each batch run.
        var indices: [[Int]]
    }

    /// This process's outputs of each loader, running up to `limits[i]` batches of `loaders[i]`.
    func run(loaders: [DataLoader<M.Batch>], limits: [Int]) throws -> [LoaderOutput] {
        precondition(loaders.count == limits.count, "PredictionLoop: \(loaders.count) loaders for \(limits.count) limits")
        let trainer = hooks.trainer
        let module = hooks.module
        let wasTraining = module.isTraining
        module.eval()
        trainer.runningLoaderCount = loaders.count
        defer {
            if wasTraining { module.train() }
            trainer.runningLoaderCount = 1
        }
        return try trainer.withoutGradients {
            try hooks.onPredictStart()
            try hooks.onPredictEpochStart()
            var results: [LoaderOutput] = []
            for (loaderIndex, (loader, limit)) in zip(loaders, limits).enumerated() {
                let batchIndices = loader.batchIndices()
                var result = LoaderOutput(outputs: [], indices: [])
                if limit > 0 {
                    var fetcher = loader.makeIterator()
                    while let batch = trainer.profiled(ProfiledRun.predictDataloaderNext, { fetcher.next().map(hooks.onDevice) }) {
                        let index = result.indices.count
                        try hooks.onPredictBatchStart(batch, index, loader: loaderIndex)
                        let output = try hooks.predictStep(batch, index, loader: loaderIndex)
                        try hooks.onPredictBatchEnd(output, batch, index, loader: loaderIndex)
                        let detached = try Self.detached(output)
                        // The stream takes tensor outputs only (Trainer+Predict checks before the run).
                        if let stream, let tensor = detached as? Tensor { try stream.append(tensor, rows: batchIndices[index].count) }
                        if retain { result.outputs.append(detached) }
                        result.indices.append(batchIndices[index])
                        if result.indices.count >= limit { break }
                    }
                }
                results.append(result)
            }
            // Every rank finishes the files here, including one whose shard had no batch.
            try stream?.finish()
            trainer.lastPredictions = results.flatMap { $0.outputs.compactMap { $0 as? Tensor } }
            try hooks.onPredictEpochEnd()
            try hooks.onPredictEnd()
            return results
        }
    }

    /// `output` with every tensor detached from any graph (and its structure checked).
    /// The output detached and in host memory, where predictions are gathered and written.
    private static func detached(_ output: M.PredictOutput) throws -> M.PredictOutput {
        let parts = try PredictionTensors.named(output).map { (name: $0.name, tensor: $0.tensor.detached().to(.cpu)) }
        return try PredictionTensors.rebuild(parts, as: M.PredictOutput.self)
    }
}
