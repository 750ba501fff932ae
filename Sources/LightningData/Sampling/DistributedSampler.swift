/// PyTorch's `DistributedSampler`, exactly: each of `worldSize` ranks takes every
/// `worldSize`-th index starting at its rank, after the list is padded by repeating it from the
/// start (or, with `dropLast`, truncated) to a multiple of `worldSize`.
///
/// With `shuffle`, the list is first permuted by `Generator(seed: seed + epoch)`; the numbers
/// differ from torch's generator, but the padding and striding are the same.
public struct DistributedSampler: Sampler {
    /// The dataset size.
    public let datasetCount: Int
    /// The number of ranks.
    public let worldSize: Int
    /// This rank, in `0..<worldSize`.
    public let rank: Int
    /// Whether each epoch permutes the dataset before sharding.
    public let shuffle: Bool
    /// The base seed (epoch `e` uses `seed + e`); must be the same on every rank.
    public let seed: UInt64
    /// Whether to drop the tail that does not divide evenly instead of padding.
    public let dropLast: Bool

    /// A sampler for `rank` of `worldSize` over `datasetCount` samples.
    public init(datasetCount: Int, worldSize: Int, rank: Int, shuffle: Bool = true, seed: UInt64 = 0, dropLast: Bool = false) {
        checkWorld(worldSize: worldSize, rank: rank, op: "DistributedSampler")
        if datasetCount < 0 { tensorFailure("DistributedSampler", "datasetCount \(datasetCount) is negative") }
        self.datasetCount = datasetCount
        self.worldSize = worldSize
        self.rank = rank
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
    }

    /// Samples per rank per epoch (`num_samples` in PyTorch).
    public var count: Int { Self.shardCount(datasetCount, worldSize: worldSize, dropLast: dropLast) }

    /// This rank's indices for `epoch`.
    public func indices(epoch: Int) -> [Int] {
        let order = shuffle ? Generator(seed: epochSeed(seed, epoch)).permutation(datasetCount) : Array(0..<datasetCount)
        return Self.shard(order, worldSize: worldSize, rank: rank, dropLast: dropLast)
    }

    /// Per-rank size: `ceil(n / world)`, or `floor(n / world)` when dropping the tail (which is
    /// what PyTorch's `ceil((n - world) / world)` equals when `n` is not a multiple).
    static func shardCount(_ n: Int, worldSize: Int, dropLast: Bool) -> Int {
        dropLast ? n / worldSize : (n + worldSize - 1) / worldSize
    }

    /// PyTorch's padding/truncation and `indices[rank::world]` applied to any ordered list.
    static func shard(_ order: [Int], worldSize: Int, rank: Int, dropLast: Bool) -> [Int] {
        let perRank = shardCount(order.count, worldSize: worldSize, dropLast: dropLast)
        let total = perRank * worldSize
        if order.isEmpty { return [] }
        var result: [Int] = []
        result.reserveCapacity(perRank)
        var position = rank
        while position < total {
            // Past the end, padding repeats the list from its start (cyclically when the
            // padding is longer than the list, like PyTorch's `indices * ceil(...)`).
            result.append(order[position % order.count])
            position += worldSize
        }
        return result
    }
}

/// Stops unless `worldSize >= 1` and `rank` is in `0..<worldSize`.
func checkWorld(worldSize: Int, rank: Int, op: String) {
    if worldSize < 1 { tensorFailure(op, "worldSize \(worldSize) must be at least 1") }
    if rank < 0 || rank >= worldSize {
        tensorFailure(op, "rank \(rank) is out of range for worldSize \(worldSize) (expected 0...\(worldSize - 1))")
    }
}
