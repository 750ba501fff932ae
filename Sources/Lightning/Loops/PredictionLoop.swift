/// Inference over a predict loader in eval mode without gradients (Lightning's `_PredictionLoop`).
struct PredictionLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>

    /// This process's outputs, one per batch, and the dataset indices of each batch.
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
            if limit > 0 {
                var fetcher = loader.makeIterator()
                while let batch = hooks.trainer.profiled(ProfiledRun.predictDataloaderNext, { fetcher.next() }) {
                    let index = outputs.count
                    try hooks.onPredictBatchStart(batch, index)
                    let output = try hooks.module("predict_step") { try $0.predictStep(batch, batchIndex: index) }
                    try hooks.onPredictBatchEnd(output, batch, index)
                    outputs.append(output.detached())
                    if outputs.count >= limit { break }
                }
            }
            hooks.trainer.lastPredictions = outputs
            try hooks.onPredictEpochEnd()
            try hooks.onPredictEnd()
            return (outputs, Array(batchIndices.prefix(outputs.count)))
        }
    }
}
