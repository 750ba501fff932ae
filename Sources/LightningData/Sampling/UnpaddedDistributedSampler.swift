/// An evaluation sharding that visits every sample exactly once: rank `r` takes a contiguous
/// block of the dataset, the first `count % worldSize` ranks one sample more than the rest (as
/// `numpy.array_split` does).
///
/// Nothing is padded, so validation and test metrics count each sample once, and because the
/// blocks are contiguous and in rank order, concatenating every rank's outputs in rank order
/// restores dataset order, which is how distributed `predict` gathers its results.
public struct UnpaddedDistributedSampler: Sampler {
    /// The dataset size.
    public let datasetCount: Int
    /// The number of ranks.
    public let worldSize: Int
    /// This rank, in `0..<worldSize`.
    public let rank: Int

    /// A sampler for `rank` of `worldSize` over `datasetCount` samples.
    public init(datasetCount: Int, worldSize: Int, rank: Int) {
        checkWorld(worldSize: worldSize, rank: rank, op: "UnpaddedDistributedSampler")
        if datasetCount < 0 { tensorFailure("UnpaddedDistributedSampler", "datasetCount \(datasetCount) is negative") }
        self.datasetCount = datasetCount
        self.worldSize = worldSize
        self.rank = rank
    }

    /// The dataset indices this rank visits.
    public var range: Range<Int> { Self.shardRanges(count: datasetCount, worldSize: worldSize)[rank] }

    /// Samples on this rank (may differ by one between ranks).
    public var count: Int { range.count }

    /// This rank's indices, in dataset order, every epoch.
    public func indices(epoch: Int) -> [Int] { Array(range) }

    /// The dataset index of this rank's `position`-th sample.
    public func datasetIndex(ofLocal position: Int) -> Int {
        checkIndex(position, count: count, op: "UnpaddedDistributedSampler.datasetIndex")
        return range.lowerBound + position
    }

    /// Every rank's block, in rank order; together they cover `0..<count` exactly once.
    public static func shardRanges(count: Int, worldSize: Int) -> [Range<Int>] {
        let base = count / worldSize, extra = count % worldSize
        var ranges: [Range<Int>] = []
        var start = 0
        for r in 0..<worldSize {
            let size = base + (r < extra ? 1 : 0)
            ranges.append(start..<start + size)
            start += size
        }
        return ranges
    }
}
