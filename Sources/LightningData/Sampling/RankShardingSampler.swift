/// A sampler that decides itself how an epoch splits among ranks, such as
/// ``ShardLocalSampler``; ``DataLoader/sharded(rank:worldSize:padded:alignedToBatches:)`` asks it
/// for a rank's sampler instead of striding its order like `DistributedSampler`.
///
/// Each rank's sampler must yield the same ``Sampler/count`` so every rank runs the same number
/// of batches (the collectives of a step must match).
public protocol RankShardingSampler: Sampler {
    /// The sampler of `rank` in a world of `worldSize`.
    func forRank(_ rank: Int, worldSize: Int) -> any Sampler
}
