/// Chooses which dataset indices an epoch visits and in what order.
///
/// Samplers are stateless: the order is a pure function of the configuration and the epoch,
/// so every rank computes the same order and a resumed run can recompute it.
public protocol Sampler {
    /// How many indices one epoch yields.
    var count: Int { get }

    /// The dataset indices of `epoch`, in loading order.
    func indices(epoch: Int) -> [Int]
}

/// The indices `0..<count` in order, every epoch.
public struct SequentialSampler: Sampler {
    /// The dataset size.
    public let count: Int

    /// A sampler over a dataset of `count` samples.
    public init(count: Int) {
        if count < 0 { tensorFailure("SequentialSampler", "count \(count) is negative") }
        self.count = count
    }

    /// `0, 1, …, count - 1`.
    public func indices(epoch: Int) -> [Int] { Array(0..<count) }
}

/// A permutation of `0..<count` drawn from `Generator(seed: seed + epoch)`, so the order
/// changes every epoch yet depends only on `(seed, epoch)`.
public struct RandomSampler: Sampler {
    /// The dataset size.
    public let count: Int
    /// The base seed; epoch `e` uses `seed + e`, as `DistributedSampler` does.
    public let seed: UInt64

    /// A shuffling sampler over `count` samples.
    public init(count: Int, seed: UInt64) {
        if count < 0 { tensorFailure("RandomSampler", "count \(count) is negative") }
        self.count = count
        self.seed = seed
    }

    /// The permutation for `epoch`.
    public func indices(epoch: Int) -> [Int] {
        Generator(seed: epochSeed(seed, epoch)).permutation(count)
    }
}

/// `seed + epoch` with wrap-around, the per-epoch seed PyTorch's `DistributedSampler` uses.
func epochSeed(_ seed: UInt64, _ epoch: Int) -> UInt64 {
    seed &+ UInt64(bitPattern: Int64(epoch))
}
