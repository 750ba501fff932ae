extension DataLoader {
    /// This loader's data split across `worldSize` ranks, for `rank`: what a trainer does to a
    /// user's loader under data parallelism (Lightning's automatic `DistributedSampler`).
    ///
    /// - `padded: true` (training): PyTorch `DistributedSampler` semantics over this loader's
    ///   epoch order, so a shuffled loader shards like `DistributedSampler(shuffle: true)` with
    ///   the same seed and every rank runs the same number of batches.
    /// - `padded: false` (validation, test, predict): contiguous unpadded blocks, so each sample
    ///   is seen exactly once and rank-ordered outputs concatenate back into this loader's order.
    ///
    /// A sampler that splits epochs itself (``RankShardingSampler``, e.g. ``ShardLocalSampler``)
    /// gives the padded (training) shards instead; unpadded shards stride any sampler's order.
    ///
    /// Batch size, drop-last, collation, workers and prefetch are kept.
    /// With `alignedToBatches` (unpadded only), ranks get contiguous runs of whole batches, so every
    /// batch holds exactly the samples it holds in one process: per-batch results (predictions,
    /// batch means) are then bit-identical to a single process's.
    public func sharded(rank: Int, worldSize: Int, padded: Bool, alignedToBatches: Bool = false) -> DataLoader<Batch> {
        checkWorld(worldSize: worldSize, rank: rank, op: "DataLoader.sharded")
        let shard: any Sampler
        if padded, let own = sampler as? any RankShardingSampler {
            shard = own.forRank(rank, worldSize: worldSize)
        } else {
            shard = ShardedSampler(base: sampler, worldSize: worldSize, rank: rank, padded: padded,
                                   batchSize: alignedToBatches && !padded ? batchSize : nil)
        }
        return DataLoader(datasetCount: datasetCount, batchSize: batchSize, shuffle: false, seed: seed,
                          dropLast: dropLast, sampler: shard, prefetch: prefetchCount,
                          numWorkers: numWorkers, prefetchFactor: prefetchFactor, recipe: recipe)
    }
}

/// Shards any sampler's epoch order across ranks, padded (PyTorch) or unpadded (contiguous).
struct ShardedSampler: Sampler {
    let base: any Sampler
    let worldSize: Int
    let rank: Int
    let padded: Bool
    /// Shard whole batches of this size (unpadded only).
    let batchSize: Int?

    var count: Int {
        padded ? DistributedSampler.shardCount(base.count, worldSize: worldSize, dropLast: false) : unpaddedRange(base.count).count
    }

    func indices(epoch: Int) -> [Int] {
        let order = base.indices(epoch: epoch)
        if padded { return DistributedSampler.shard(order, worldSize: worldSize, rank: rank, dropLast: false) }
        return Array(order[unpaddedRange(order.count)])
    }

    /// This rank's contiguous block of the order: samples split evenly, or whole batches split evenly.
    private func unpaddedRange(_ total: Int) -> Range<Int> {
        guard let batchSize else { return UnpaddedDistributedSampler.shardRanges(count: total, worldSize: worldSize)[rank] }
        let batches = (total + batchSize - 1) / batchSize
        let range = UnpaddedDistributedSampler.shardRanges(count: batches, worldSize: worldSize)[rank]
        return min(total, range.lowerBound * batchSize)..<min(total, range.upperBound * batchSize)
    }
}
