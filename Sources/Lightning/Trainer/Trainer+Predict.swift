/// `predict`: the module's outputs for every batch, in dataset order.
extension Trainer {
    /// Runs `predictStep` on every batch of `dataloaders`; returns one output per batch. Under
    /// data parallelism every rank predicts its shard and rank 0 gets all outputs in dataset
    /// order (other ranks get an empty array); with `useDistributedSampler: false` every rank
    /// predicts its own loader and returns its own outputs.
    ///
    /// With `returnPredictions: false` (Lightning's `return_predictions`) no output is kept:
    /// `predict` returns an empty array on every rank and memory holds only the batch in hand,
    /// while the ``PredictionWriter`` callbacks, which always write batch by batch, save them.
    public func predict<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                    returnPredictions: Bool = true) throws -> [Tensor] {
        try runPredict(model, data: .loaders(predict: dataloaders), ckptPath: ckptPath, returnPredictions: returnPredictions)
    }

    /// Runs `predictStep` on every batch of the data module's predict loader (see
    /// ``predict(_:dataloaders:ckptPath:returnPredictions:)``).
    public func predict<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                   returnPredictions: Bool = true) throws -> [Tensor]
    where D.Batch == M.Batch {
        try runPredict(model, data: .module(datamodule), ckptPath: ckptPath, returnPredictions: returnPredictions)
    }

    private func runPredict<M: LightningModuleProtocol>(_ model: M, data: DataSource<M.Batch>, ckptPath: String?,
                                                        returnPredictions: Bool) throws -> [Tensor] {
        try checkArguments()
        let resolvedPath = try ckptPath.map { try resolveCheckpointPath($0, stage: .predict) }
        let hooks = try beginRun(model, stage: .predict)
        var stream: PredictionStream?
        do {
            try prepare(data, hooks: hooks, stage: .predict)
            guard let base = try data.predict() else {
                throw LightningError.misconfiguration("predict: no prediction data; pass dataloaders or a data module whose predictDataLoader() returns a loader")
            }
            // One plan for the loop and the gather: rank 0 expects exactly the batches the ranks run.
            let (loader, plan) = try stageLoader(.predict, base: base)
            if let resolvedPath { try restore(from: resolvedPath, hooks: hooks, full: false) }
            let writers = callbacks.compactMap { $0 as? PredictionWriter }
            if !writers.isEmpty {
                stream = try PredictionStream(writers: writers, strategy: strategy, rowCounts: plan.rowsPerRank)
            }
            let (outputs, indices) = try PredictionLoop(hooks: hooks, stream: stream, retain: returnPredictions)
                .run(loader: loader, limit: plan.local)
            stream = nil
            // Every rank has the same `returnPredictions`, so all of them gather or none does. A loader
            // that shards itself has no unsharded order to gather into: each rank keeps its own, as in Lightning.
            let gathered = !returnPredictions ? [] : useDistributedSampler
                ? try strategy.gatherPredictions(outputs, indices: indices, batches: plan.covered) : outputs
            lastPredictions = gathered
            try endRun(hooks, data: data, stage: .predict, status: "success")
            return gathered
        } catch {
            // Before failRun: under mpirun it ends the job, and no complete-looking file may stay.
            stream?.abandon()
            failRun(hooks, error: error)
            throw error
        }
    }
}
