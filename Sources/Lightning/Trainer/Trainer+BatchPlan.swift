/// Every stage asks here how many batches it runs; nothing else applies `fastDevRun` or the limits.
extension Trainer {
    /// The limit `loader` runs under: its `limit*Batches`, or `fastDevRun`'s count.
    func batchLimit(_ loader: LimitedLoader) -> BatchLimit {
        let stageLimit: BatchLimit
        switch loader {
        case .train: stageLimit = limitTrainBatches
        case .validation: stageLimit = limitValBatches
        case .test: stageLimit = limitTestBatches
        case .predict: stageLimit = limitPredictBatches
        }
        return BatchPlan.limit(stageLimit, fastDevRun: fastDevRun)
    }

    /// The plan for `base`, the unsharded loader, as every rank's strategy shards it.
    func batchPlan<Batch>(_ loader: LimitedLoader, base: DataLoader<Batch>) -> BatchPlan {
        let shards = (0..<worldSize).map { rank in
            (loader == .train ? strategy.trainingLoader(base, rank: rank) : strategy.evaluationLoader(base, rank: rank)).batchIndices()
        }
        return BatchPlan(limit: batchLimit(loader), shards: shards, rank: globalRank)
    }
}
