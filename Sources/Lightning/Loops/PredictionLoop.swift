/// Inference over a predict loader in eval mode without gradients (Lightning's `_PredictionLoop`).
struct PredictionLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    /// Where each output goes as soon as it exists (the PredictionWriters' files), if anywhere.
    var stream: PredictionStream? = nil
    /// Whether the outputs are kept for `predict`'s return value; without, memory holds only the
    /// batch in hand.
    var retain = true

    /// This process's outputs, one per batch (none unless `retain`), and the dataset indices of
    /// each batch.
    func run(loader: DataLoader<M.Batch>, limit: Int) throws -> (outputs: [Tensor], indices: [[Int]]) {
        let module = hooks.module
        let wasTraining = module.isTraining
        module.eval()
        defer { if wasTraining { module.train() } }
        let batchIndices = loader.batchIndices()
        return try noGrad {
            try hooks.onPredictStart()
            try hooks.onPredictEpochStart()
            var outputs: [Tensor] = []
            var count = 0
            if limit > 0 {
                var fetcher = loader.makeIterator()
                while let batch = hooks.trainer.profiled(ProfiledRun.predictDataloaderNext, { fetcher.next().map(hooks.onDevice) }) {
                    let index = count
                    try hooks.onPredictBatchStart(batch, index)
                    let output = try hooks.module("predict_step") { try $0.predictStep(batch, batchIndex: index) }
                    try hooks.onPredictBatchEnd(output, batch, index)
                    // Predictions are gathered and written from host memory.
                    let detached = output.detached().to(.cpu)
                    try stream?.append(detached, rows: batchIndices[index].count)
                    if retain { outputs.append(detached) }
                    count += 1
                    if count >= limit { break }
                }
            }
            // Every rank finishes the files here, including one whose shard had no batch.
            try stream?.finish()
            hooks.trainer.lastPredictions = outputs
            try hooks.onPredictEpochEnd()
            try hooks.onPredictEnd()
            return (outputs, Array(batchIndices.prefix(count)))
        }
    }
}
