/// `predict`: the module's outputs for every batch, in dataset order.
extension Trainer {
    /// Runs `predictStep` on every batch of `dataloaders`; returns one output per batch. Under
    /// data parallelism every rank predicts its shard and rank 0 gets all outputs in dataset
    /// order (other ranks get an empty array).
    public func predict<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil) throws -> [Tensor] {
        try runPredict(model, data: .loaders(predict: dataloaders), ckptPath: ckptPath)
    }

    /// Runs `predictStep` on every batch of the data module's predict loader.
    public func predict<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil) throws -> [Tensor]
    where D.Batch == M.Batch {
        try runPredict(model, data: .module(datamodule), ckptPath: ckptPath)
    }

    private func runPredict<M: LightningModuleProtocol>(_ model: M, data: DataSource<M.Batch>, ckptPath: String?) throws -> [Tensor] {
        try checkArguments()
        let resolvedPath = try ckptPath.map { try resolveCheckpointPath($0, stage: .predict) }
        let hooks = try beginRun(model, stage: .predict)
        do {
            try prepare(data, hooks: hooks, stage: .predict)
            guard let base = try data.predict() else {
                throw LightningError.misconfiguration("predict: no prediction data; pass dataloaders or a data module whose predictDataLoader() returns a loader")
            }
            let loader = strategy.evaluationLoader(base)
            if let resolvedPath { try restore(from: resolvedPath, hooks: hooks, full: false) }
            // One plan for the loop and the gather: rank 0 expects exactly the batches the ranks run.
            let plan = batchPlan(.predict, base: base)
            let (outputs, indices) = try PredictionLoop(hooks: hooks).run(loader: loader, limit: plan.local)
            let gathered = try strategy.gatherPredictions(outputs, indices: indices, batches: plan.covered)
            lastPredictions = gathered
            for writer in callbacks.compactMap({ $0 as? PredictionWriter }) where isGlobalZero {
                try writer.write(gathered)
            }
            try endRun(hooks, data: data, stage: .predict, status: "success")
            return gathered
        } catch {
            failRun(hooks, error: error)
            throw error
        }
    }
}
