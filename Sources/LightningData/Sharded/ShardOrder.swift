/// How a training epoch visits a ``ShardedDataset``.
public enum ShardOrder: String, Sendable, CaseIterable {
    /// The seeded global permutation an in-memory dataset gets (padded `DistributedSampler`
    /// shards under data parallelism), so results do not depend on how the data is stored. Every
    /// rank must be able to read every shard; it touches only the pages of its own samples.
    case exact
    /// Whole shards per rank (``ShardLocalSampler``), shuffled within the rank, so a node reads
    /// only its own shards: for data larger than one node's disk or page cache. Not the
    /// in-memory order; see the sampler for the trade-offs.
    case shardLocal = "shard_local"
}
