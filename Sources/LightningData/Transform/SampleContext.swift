/// What a loader tells a dataset about the draw a sample belongs to: the loader's seed and the
/// epoch. Per-sample random transforms (``Dataset/map(_:)``) seed their generator from it and
/// the sample's index, so a sample's randomness depends on nothing else: not on which worker
/// thread builds it, how many workers there are, the batch size, the rank or a resume.
public struct SampleContext: Sendable, Hashable {
    /// The loader's seed (``DataLoader/seed``: `seedEverything` decides it unless given).
    public let seed: UInt64
    /// The epoch the sample is drawn in.
    public let epoch: Int
    /// How many transforms this one is nested inside, so stacked maps draw distinct streams.
    let depth: UInt64

    /// The context of a draw in `epoch` of a loader seeded with `seed`.
    public init(seed: UInt64, epoch: Int) {
        self.init(seed: seed, epoch: epoch, depth: 0)
    }

    init(seed: UInt64, epoch: Int, depth: UInt64) {
        self.seed = seed
        self.epoch = epoch
        self.depth = depth
    }

    /// The context a transform passes to the dataset it wraps.
    var inner: SampleContext { SampleContext(seed: seed, epoch: epoch, depth: depth + 1) }

    /// A fresh generator for the sample at `index`: its seed mixes seed, epoch, index and depth
    /// (SplitMix64's finalizer after each word), so neighbouring indices get unrelated streams.
    public func generator(for index: Int) -> Generator {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15
        for word in [seed, UInt64(bitPattern: Int64(epoch)), UInt64(bitPattern: Int64(index)), depth] {
            h = Self.mix(h ^ word)
        }
        return Generator(seed: h)
    }

    /// SplitMix64's output function: a bijective avalanche of 64 bits.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
