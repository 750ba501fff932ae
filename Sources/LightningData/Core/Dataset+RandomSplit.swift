extension Dataset {
    /// Splits the dataset into non-overlapping subsets of the given lengths, which must sum to
    /// `count`; the assignment is a permutation drawn from `Generator(seed:)` (PyTorch's
    /// `random_split`, with our generator).
    public func randomSplit(lengths: [Int], seed: UInt64) -> [Subset<Self>] {
        let total = lengths.reduce(0, +)
        if lengths.contains(where: { $0 < 0 }) || total != count {
            tensorFailure("randomSplit", "lengths \(lengths) must be non-negative and sum to the dataset's \(count) samples")
        }
        let order = Generator(seed: seed).permutation(count)
        var subsets: [Subset<Self>] = []
        var start = 0
        for length in lengths {
            subsets.append(Subset(self, indices: Array(order[start..<start + length])))
            start += length
        }
        return subsets
    }

    /// Splits by fractions summing to 1: each gets `floor(count × fraction)` samples and the
    /// remainder goes one by one to the first subsets, as PyTorch's `random_split` does.
    public func randomSplit(fractions: [Double], seed: UInt64) -> [Subset<Self>] {
        let sum = fractions.reduce(0, +)
        if fractions.contains(where: { $0 < 0 || !$0.isFinite }) || abs(sum - 1) > 1e-6 {
            tensorFailure("randomSplit", "fractions \(fractions) must be non-negative and sum to 1")
        }
        return randomSplit(lengths: Self.splitLengths(count: count, fractions: fractions), seed: seed)
    }

    /// PyTorch's rounding of fractional split sizes.
    static func splitLengths(count: Int, fractions: [Double]) -> [Int] {
        var lengths = fractions.map { Int((Double(count) * $0).rounded(.down)) }
        let remainder = count - lengths.reduce(0, +)
        for i in 0..<remainder { lengths[i % lengths.count] += 1 }
        return lengths
    }
}
