/// Visits whole shards per rank, as WebDataset and MosaicML streaming do, so a node reads only
/// the shards assigned to it, never the whole dataset.
///
/// Each epoch `Generator(seed: seed + epoch)` permutes the shards (the `groups`), and rank `r`
/// takes the shards at positions `r, r + worldSize, …` of that list (with fewer shards than
/// ranks, the one at `r mod shards`); its samples are then shuffled together by a generator
/// seeded with the seed, the epoch and the rank. The order is a pure function of those, so
/// every rank agrees on the assignment and a resumed run rebuilds it exactly.
///
/// Trade-offs against the exact order (``ShardOrder/exact``):
/// - the sample order is not the in-memory one, and it depends on the world size;
/// - a batch mixes samples of at most the rank's few shards (a shuffle of ~`count` samples, not
///   of the dataset), which for shards written in a sorted order correlates a batch;
/// - ranks get unequal numbers of samples (shards differ in size; the last is shorter, splits
///   remove samples). Every rank yields ``count`` indices, the most any rank can get (the
///   `ceil(shards / worldSize)` largest shards together); a rank with fewer repeats its own
///   shuffled samples from the start, as `DistributedSampler` pads, so every rank runs the same
///   number of batches and a few samples count twice in an epoch.
public struct ShardLocalSampler: RankShardingSampler, Sendable {
    /// Per shard, the loader positions of its samples (non-empty groups).
    public let groups: [[Int]]
    /// The base seed (epoch `e` uses `seed + e`); must be the same on every rank.
    public let seed: UInt64
    /// The number of ranks.
    public let worldSize: Int
    /// This rank, in `0..<worldSize`.
    public let rank: Int

    /// A sampler over `groups` (``ShardedDataset/shardGroups(of:)``) for `rank` of `worldSize`.
    public init(groups: [[Int]], seed: UInt64, worldSize: Int = 1, rank: Int = 0) {
        checkWorld(worldSize: worldSize, rank: rank, op: "ShardLocalSampler")
        self.groups = groups.filter { !$0.isEmpty }
        self.seed = seed
        self.worldSize = worldSize
        self.rank = rank
    }

    /// Indices per rank per epoch: the most samples any assignment can give one rank.
    public var count: Int {
        guard !groups.isEmpty else { return 0 }
        let perRank = (groups.count + worldSize - 1) / worldSize
        return groups.map(\.count).sorted(by: >).prefix(perRank).reduce(0, +)
    }

    /// The groups (shards) this rank reads in `epoch`.
    public func shards(epoch: Int) -> [Int] {
        guard !groups.isEmpty else { return [] }
        let order = Generator(seed: epochSeed(seed, epoch)).permutation(groups.count)
        if groups.count < worldSize { return [order[rank % groups.count]] }
        return Array(stride(from: rank, to: groups.count, by: worldSize).map { order[$0] })
    }

    /// This rank's positions for `epoch`: its shards' samples shuffled, padded to ``count``.
    public func indices(epoch: Int) -> [Int] {
        let own = shards(epoch: epoch).flatMap { groups[$0] }
        guard !own.isEmpty else { return [] }
        // A stream per (seed, epoch, rank): the golden-ratio multiple keeps ranks' seeds apart
        // from the next epochs' seeds, which differ from this one by small integers.
        let mix = UInt64(rank + 1) &* 0x9E37_79B9_7F4A_7C15
        let shuffled = Generator(seed: epochSeed(seed, epoch) ^ mix).permutation(own.count).map { own[$0] }
        let total = count
        return (0..<total).map { shuffled[$0 % shuffled.count] }
    }

    /// The same shards and seed for `rank` of `worldSize`.
    public func forRank(_ rank: Int, worldSize: Int) -> any Sampler {
        ShardLocalSampler(groups: groups, seed: seed, worldSize: worldSize, rank: rank)
    }
}
