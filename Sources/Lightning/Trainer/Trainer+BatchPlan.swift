/// Every stage asks here how many batches it runs and which loader each process iterates;
/// nothing else applies `fastDevRun`, `overfitBatches`, the limits or `useDistributedSampler`.
extension Trainer {
    /// The limit `loader` runs under: its `limit*Batches`, or `fastDevRun`'s count, or
    /// `overfitBatches` for training and validation.
    func batchLimit(_ loader: LimitedLoader) -> BatchLimit {
        let stageLimit: BatchLimit
        switch loader {
        case .train: stageLimit = limitTrainBatches
        case .validation: stageLimit = limitValBatches
        case .test: stageLimit = limitTestBatches
        case .predict: stageLimit = limitPredictBatches
        }
        let overfits = loader == .train || loader == .validation
        return BatchPlan.limit(stageLimit, fastDevRun: fastDevRun, overfit: overfits ? overfitBatches : nil)
    }

    /// The loader rank `rank` iterates out of `base`: the strategy's shard (padded for training),
    /// or `base` itself when `useDistributedSampler` is off and the loader shards itself.
    func rankLoader<Batch>(_ loader: LimitedLoader, base: DataLoader<Batch>, rank: Int) -> DataLoader<Batch> {
        guard useDistributedSampler else { return base }
        return loader == .train ? strategy.trainingLoader(base, rank: rank) : strategy.evaluationLoader(base, rank: rank)
    }

    /// The plan for `base` as every rank iterates it. With `useDistributedSampler` off each rank
    /// knows only its own loader, so the ranks exchange their batches (one gather per stage).
    func batchPlan<Batch>(_ loader: LimitedLoader, base: DataLoader<Batch>) throws -> BatchPlan {
        let shards: [[[Int]]]
        if useDistributedSampler {
            shards = (0..<worldSize).map { rank in rankLoader(loader, base: base, rank: rank).batchIndices() }
        } else {
            shards = try gatherBatches(base.batchIndices())
        }
        return BatchPlan(limit: batchLimit(loader), shards: shards, rank: globalRank)
    }

    /// The loader this process iterates for `loader` and the stage's plan (see
    /// ``stageLoaders(_:bases:)``).
    func stageLoader<Batch>(_ loader: LimitedLoader, base: DataLoader<Batch>) throws -> (loader: DataLoader<Batch>, plan: BatchPlan) {
        try stageLoaders(loader, bases: [base])[0]
    }

    /// The loader this process iterates for each of a stage's loaders (validation, test and
    /// predict may have several), each with its own plan. During `fit` with `overfitBatches`, the
    /// training and validation loaders first lose any shuffling (Lightning's
    /// `_resolve_overfit_batches`, with its one warning per stage), so every epoch sees the same batches.
    func stageLoaders<Batch>(_ loader: LimitedLoader, bases given: [DataLoader<Batch>]) throws -> [(loader: DataLoader<Batch>, plan: BatchPlan)] {
        var bases = given
        if stage == .fit, overfitBatches.isPositive, loader == .train || loader == .validation, !given.allSatisfy(\.isSequential) {
            let prefix = loader == .train ? "train" : "val"
            if isGlobalZero {
                TrainerLog.warning("You requested to overfit but enabled \(prefix) dataloader shuffling. We are turning off the \(prefix) dataloader shuffling for you.")
            }
            bases = given.map { $0.sequential() }
        }
        return try bases.map { (rankLoader(loader, base: $0, rank: globalRank), try batchPlan(loader, base: $0)) }
    }

    /// Every rank's batches (dataset indices of its own loader), in rank order: each sends its
    /// batch count, the batch sizes, then the indices, as one list.
    private func gatherBatches(_ batches: [[Int]]) throws -> [[[Int]]] {
        let flat = [batches.count] + batches.map(\.count) + batches.flatMap { $0 }
        return try strategy.allGather(flat).map { list in
            var next = 1 + list[0]
            return list[1..<(1 + list[0])].map { size in
                defer { next += size }
                return Array(list[next..<(next + size)])
            }
        }
    }
}
