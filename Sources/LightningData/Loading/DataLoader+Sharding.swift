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
    /// Batch size, drop-last, collation and prefetch are kept.
    public func sharded(rank: Int, worldSize: Int, padded: Bool) -> DataLoader<Batch> {
        checkWorld(worldSize: worldSize, rank: rank, op: "DataLoader.sharded")
        let shard = ShardedSampler(base: sampler, worldSize: worldSize, rank: rank, padded: padded)
        return DataLoader(datasetCount: datasetCount, batchSize: batchSize, shuffle: false, seed: seed,
                          dropLast: dropLast, sampler: shard, prefetch: prefetchCount, fetch: fetch)
    }
}

/// Shards any sampler's epoch order across ranks, padded (PyTorch) or unpadded (contiguous).
struct ShardedSampler: Sampler {
    let base: any Sampler
    let worldSize: Int
    let rank: Int
    let padded: Bool

    var count: Int {
        padded ? DistributedSampler.shardCount(base.count, worldSize: worldSize, dropLast: false)
               : UnpaddedDistributedSampler.shardRanges(count: base.count, worldSize: worldSize)[rank].count
    }

    func indices(epoch: Int) -> [Int] {
        let order = base.indices(epoch: epoch)
        if padded { return DistributedSampler.shard(order, worldSize: worldSize, rank: rank, dropLast: false) }
        return Array(order[UnpaddedDistributedSampler.shardRanges(count: order.count, worldSize: worldSize)[rank]])
    }
}
