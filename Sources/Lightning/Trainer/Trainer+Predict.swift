/// `predict`: the module's outputs for every batch, in dataset order.
extension Trainer {
    /// Runs `predictStep` on every batch of `dataloaders`; returns one output per batch, of the
    /// type `predictStep` returns (a `Tensor`, `[Tensor]`, `[String: Tensor]` or any
    /// ``PredictionOutput``). Under data parallelism every rank predicts its shard and rank 0 gets
    /// all outputs in dataset order (other ranks get an empty array); with
    /// `useDistributedSampler: false` every rank predicts its own loader and returns its own outputs.
    ///
    /// With `returnPredictions: false` (Lightning's `return_predictions`) no output is kept:
    /// `predict` returns an empty array on every rank and memory holds only the batch in hand,
    /// while the ``PredictionWriter`` callbacks, which always write batch by batch, save them.
    public func predict<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                    returnPredictions: Bool = true) throws -> [M.PredictOutput]
    where M.PredictOutput: PredictionOutput {
        try runPredict(model, data: .loaders(predict: [dataloaders]), ckptPath: ckptPath, returnPredictions: returnPredictions)[0]
    }

    /// `predict` as tensors, for code generic over the module (where its output type is
    /// unknown): the module's `predictStep` must return a `Tensor`. A module returning a tuple
    /// gets its typed outputs from `predict(_:dataloaders:)` given an array of loaders.
    public func predict<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                    returnPredictions: Bool = true) throws -> [Tensor] {
        try Self.requireTensorOutputs(M.self)
        return try runPredict(model, data: .loaders(predict: [dataloaders]), ckptPath: ckptPath, returnPredictions: returnPredictions)[0]
            .compactMap { $0 as? Tensor }
    }

    /// Runs `predictStep` on every batch of each loader, one loader after the other; returns one
    /// list of outputs per loader, of any output type `predictStep` may return (tuples of tensors
    /// too). With several loaders the module's `predictStep(_:batchIndex:dataloaderIndex:)` runs.
    public func predict<M: LightningModuleProtocol>(_ model: M, dataloaders: [DataLoader<M.Batch>], ckptPath: String? = nil,
                                                    returnPredictions: Bool = true) throws -> [[M.PredictOutput]] {
        try runPredict(model, data: .loaders(predict: dataloaders), ckptPath: ckptPath, returnPredictions: returnPredictions)
    }

    /// Runs `predictStep` on every batch of the data module's predict loader (see
    /// `predict(_:dataloaders:)`); a data module with several is an error here:
    /// ``predictEachLoader(_:datamodule:ckptPath:returnPredictions:)`` returns their lists.
    public func predict<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                   returnPredictions: Bool = true) throws -> [M.PredictOutput]
    where D.Batch == M.Batch, M.PredictOutput: PredictionOutput {
        try runPredict(model, data: oneLoader(of: datamodule), ckptPath: ckptPath, returnPredictions: returnPredictions).first ?? []
    }

    /// The data module's `predict` as tensors, for code generic over the module (see the
    /// loader form).
    public func predict<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                   returnPredictions: Bool = true) throws -> [Tensor]
    where D.Batch == M.Batch {
        try Self.requireTensorOutputs(M.self)
        return try (runPredict(model, data: oneLoader(of: datamodule), ckptPath: ckptPath, returnPredictions: returnPredictions).first ?? [])
            .compactMap { $0 as? Tensor }
    }

    /// Runs `predictStep` on every batch of each of the data module's predict loaders; returns
    /// one list of outputs per loader.
    public func predictEachLoader<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                             returnPredictions: Bool = true) throws -> [[M.PredictOutput]]
    where D.Batch == M.Batch {
        try runPredict(model, data: .module(datamodule), ckptPath: ckptPath, returnPredictions: returnPredictions)
    }

    /// `datamodule` as a data source whose predict loaders are an error when there are several.
    private func oneLoader<D: DataModule>(of datamodule: D) -> DataSource<D.Batch> {
        var data = DataSource<D.Batch>.module(datamodule)
        let loaders = data.predict
        data.predict = {
            let all = try loaders()
            guard all.count <= 1 else {
                throw LightningError.misconfiguration("predict: \(D.self) returns \(all.count) predict loaders; "
                    + "call predictEachLoader(_:datamodule:) for one list of outputs per loader")
            }
            return all
        }
        return data
    }

    /// Throws unless `M`'s `predictStep` returns tensors (the `[Tensor]` forms of `predict`).
    static func requireTensorOutputs<M: LightningModuleProtocol>(_ module: M.Type) throws {
        guard M.PredictOutput.self == Tensor.self else {
            throw LightningError.misconfiguration("predict: \(M.self)'s predictStep returns \(M.PredictOutput.self), not Tensor; "
                + "call predict where that type is known, or with an array of loaders, to get those outputs")
        }
    }

    private func runPredict<M: LightningModuleProtocol>(_ model: M, data: DataSource<M.Batch>, ckptPath: String?,
                                                        returnPredictions: Bool) throws -> [[M.PredictOutput]] {
        try checkArguments()
        let resolvedPath = try ckptPath.map { try resolveCheckpointPath($0, stage: .predict) }
        let hooks = try beginRun(model, stage: .predict)
        var stream: PredictionStream?
        do {
            try prepare(data, hooks: hooks, stage: .predict)
            let bases = try data.predict()
            guard !bases.isEmpty else {
                throw LightningError.misconfiguration("predict: no prediction data; pass dataloaders or a data module whose predictDataLoader() returns a loader")
            }
            // One plan per loader for the loop and the gather: rank 0 expects exactly the batches the ranks run.
            let staged = try stageLoaders(.predict, bases: bases)
            let plans = staged.map(\.plan)
            if let resolvedPath { try restore(from: resolvedPath, hooks: hooks, full: false) }
            let writers = callbacks.compactMap { $0 as? PredictionWriter }
            if !writers.isEmpty {
                // Decided from the types and the loader count alone, so every rank stops alike.
                guard M.PredictOutput.self == Tensor.self, plans.count == 1 else {
                    throw LightningError.misconfiguration("predict: a PredictionWriter writes the Tensor outputs of one loader; this run has "
                        + "\(plans.count) loader(s) and predictStep returns \(M.PredictOutput.self)")
                }
                stream = try PredictionStream(writers: writers, strategy: strategy, rowCounts: plans[0].rowsPerRank)
            }
            let results = try PredictionLoop(hooks: hooks, stream: stream, retain: returnPredictions)
                .run(loaders: staged.map(\.loader), limits: plans.map(\.local))
            stream = nil
            // Every rank has the same `returnPredictions`, so all of them gather or none does. A loader
            // that shards itself has no unsharded order to gather into: each rank keeps its own, as in Lightning.
            let gathered = try zip(results, plans).map { result, plan in
                !returnPredictions ? [] : useDistributedSampler
                    ? try strategy.gatherPredictionOutputs(result.outputs, indices: result.indices, batches: plan.covered) : result.outputs
            }
            lastPredictions = gathered.flatMap { $0.compactMap { $0 as? Tensor } }
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
