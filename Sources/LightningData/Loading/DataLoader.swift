/// Batches from a dataset, in a seeded order, optionally assembled ahead on worker threads
/// (PyTorch's `DataLoader`).
///
/// With `numWorkers: n > 0`, `n` threads build batches (per-sample transforms included, see
/// ``Dataset/map(_:)``), at most `n × prefetchFactor` ahead of the loop, which still receives
/// them in order. With `numWorkers: 0`, `prefetch` batches are built ahead by one thread (0:
/// on the caller's thread). Batches are the same in every configuration: a sample's randomness
/// comes from the loader's seed, the epoch and its index (``SampleContext``), never from a
/// worker's identity.
///
/// The order of an epoch depends only on the sampler's configuration and the epoch number, so
/// every rank agrees on it and a resumed run can rebuild it. The loader tracks its
/// ``position`` (epoch and batches served) for checkpoints and can ``resume(from:)`` one.
///
/// ```swift
/// let loader = DataLoader(TensorDataset(x, y), batchSize: 64, shuffle: true, seed: 42)
/// for epoch in 0..<10 {
///     loader.setEpoch(epoch)
///     for (inputs, targets) in loader { … }
/// }
/// ```
public final class DataLoader<Batch> {
    /// Samples per batch (the last batch may be smaller unless `dropLast`).
    public let batchSize: Int
    /// Whether the default sampler shuffles each epoch.
    public let shuffle: Bool
    /// The base seed of the shuffle (epoch `e` uses `seed + e`).
    public let seed: UInt64
    /// Whether a final partial batch is skipped.
    public let dropLast: Bool
    /// With no workers, how many batches one background thread may assemble ahead; 0 assembles
    /// on the caller's thread.
    public let prefetchCount: Int
    /// Worker threads building batches; 0 uses `prefetchCount`'s single thread (or none).
    public let numWorkers: Int
    /// With workers, batches each worker may have built ahead of the loop.
    public let prefetchFactor: Int
    /// Where each epoch's dataset indices come from.
    public let sampler: any Sampler
    /// The size of the underlying dataset (before sampling or sharding).
    public let datasetCount: Int

    /// How a batch is built from dataset indices drawn in a context; runs on worker threads when
    /// prefetching, several at once with `numWorkers > 1`.
    let recipe: BatchRecipe<Batch>

    /// The current epoch.
    public internal(set) var epoch = 0
    /// Batches of the current epoch handed out so far.
    public internal(set) var batchesServed = 0
    /// Where the next iteration starts after ``resume(from:)``.
    var pendingStart: Int?
    /// Whether the current epoch has been served to its end.
    var epochCompleted = false
    /// Bumped by every new iteration so an abandoned iterator stops moving the position.
    var generation = 0

    /// The designated initializer; the public ones pick the recipe for their sample type.
    init(datasetCount: Int, batchSize: Int, shuffle: Bool, seed: UInt64?, dropLast: Bool,
         sampler: (any Sampler)?, prefetch: Int, numWorkers: Int, prefetchFactor: Int,
         recipe: BatchRecipe<Batch>) {
        if batchSize < 1 { tensorFailure("DataLoader", "batchSize \(batchSize) must be at least 1") }
        if prefetch < 0 { tensorFailure("DataLoader", "prefetch \(prefetch) must not be negative") }
        if numWorkers < 0 { tensorFailure("DataLoader", "numWorkers \(numWorkers) must not be negative") }
        if prefetchFactor < 1 { tensorFailure("DataLoader", "prefetchFactor \(prefetchFactor) must be at least 1") }
        if sampler != nil && shuffle {
            tensorFailure("DataLoader", "sampler and shuffle are mutually exclusive; shuffle in the sampler instead")
        }
        let seed = seed ?? LightningTensor.Generator.default.seed
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.dropLast = dropLast
        self.prefetchCount = prefetch
        self.numWorkers = numWorkers
        self.prefetchFactor = prefetchFactor
        self.datasetCount = datasetCount
        self.sampler = sampler ?? (shuffle ? RandomSampler(count: datasetCount, seed: seed) : SequentialSampler(count: datasetCount))
        self.recipe = recipe
    }

    /// Batches per epoch.
    public var count: Int {
        let n = sampler.count
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize
    }

    /// Sets the epoch whose order the next iteration uses, starting it from its first batch.
    ///
    /// Setting the epoch a pending ``resume(from:)`` is for keeps that resume position, so a
    /// trainer may call it unconditionally at the start of every epoch.
    public func setEpoch(_ epoch: Int) {
        if epoch < 0 { tensorFailure("DataLoader.setEpoch", "epoch \(epoch) is negative") }
        if epoch == self.epoch && pendingStart != nil { return }
        self.epoch = epoch
        batchesServed = 0
        pendingStart = nil
        epochCompleted = false
    }

    /// The dataset indices each batch of `epoch` (default: the current one) holds, in order;
    /// distributed `predict` uses it to put outputs back in dataset order.
    public func batchIndices(epoch: Int? = nil) -> [[Int]] {
        let order = sampler.indices(epoch: epoch ?? self.epoch)
        return (0..<count).map { Array(order[batchRange($0, orderCount: order.count)]) }
    }

    /// Threads an iteration starts: the workers, or the one prefetch thread, or none.
    var workerThreads: Int { numWorkers > 0 ? numWorkers : (prefetchCount > 0 ? 1 : 0) }

    /// Batches the threads may build ahead of the loop.
    var window: Int { numWorkers > 0 ? numWorkers * prefetchFactor : prefetchCount }

    /// Positions of batch `b` within an epoch's order.
    func batchRange(_ b: Int, orderCount: Int) -> Range<Int> {
        let lo = b * batchSize
        return lo..<Swift.min(lo + batchSize, orderCount)
    }
}

extension DataLoader {
    /// A loader whose batches `collate` builds from the samples.
    ///
    /// - Parameters:
    ///   - seed: the shuffle's base seed; `nil` takes the default generator's seed, so
    ///     `seedEverything` decides it as in Lightning.
    ///   - sampler: replaces the default sequential or random order (then `shuffle` must be false).
    ///   - prefetch: with no workers, batches assembled ahead on one background thread; 0 for none.
    ///   - numWorkers: threads assembling batches (and running per-sample transforms); 0 for none.
    ///   - prefetchFactor: with workers, batches each may build ahead of the loop.
    public convenience init<D: Dataset>(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, seed: UInt64? = nil, dropLast: Bool = false,
        sampler: (any Sampler)? = nil, prefetch: Int = 2,
        numWorkers: Int = 0, prefetchFactor: Int = 2, collate: @escaping ([D.Element]) -> Batch
    ) {
        self.init(datasetCount: dataset.count, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
                  sampler: sampler, prefetch: prefetch, numWorkers: numWorkers, prefetchFactor: prefetchFactor,
                  recipe: BatchRecipe(dataset, collate: collate))
    }
}

extension DataLoader where Batch: Collatable {
    /// A loader with the default collation (tensors stacked along a new first dimension).
    public convenience init<D: Dataset>(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, seed: UInt64? = nil, dropLast: Bool = false,
        sampler: (any Sampler)? = nil, prefetch: Int = 2,
        numWorkers: Int = 0, prefetchFactor: Int = 2
    ) where D.Element == Batch {
        self.init(datasetCount: dataset.count, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
                  sampler: sampler, prefetch: prefetch, numWorkers: numWorkers, prefetchFactor: prefetchFactor,
                  recipe: BatchRecipe(dataset, gather: dataset.batch(at:), collate: Batch.collate))
    }
}

extension DataLoader where Batch == (Tensor, Tensor) {
    /// A loader of `(input, target)` batches with the default collation (int64 targets stay int64).
    public convenience init<D: Dataset>(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, seed: UInt64? = nil, dropLast: Bool = false,
        sampler: (any Sampler)? = nil, prefetch: Int = 2,
        numWorkers: Int = 0, prefetchFactor: Int = 2
    ) where D.Element == (Tensor, Tensor) {
        self.init(datasetCount: dataset.count, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
                  sampler: sampler, prefetch: prefetch, numWorkers: numWorkers, prefetchFactor: prefetchFactor,
                  recipe: BatchRecipe(dataset, gather: dataset.batch(at:), collate: LightningData.collate))
    }
}

extension DataLoader where Batch == (Tensor, Tensor, Tensor) {
    /// A loader of triple batches with the default collation.
    public convenience init<D: Dataset>(
        _ dataset: D, batchSize: Int = 1, shuffle: Bool = false, seed: UInt64? = nil, dropLast: Bool = false,
        sampler: (any Sampler)? = nil, prefetch: Int = 2,
        numWorkers: Int = 0, prefetchFactor: Int = 2
    ) where D.Element == (Tensor, Tensor, Tensor) {
        self.init(datasetCount: dataset.count, batchSize: batchSize, shuffle: shuffle, seed: seed, dropLast: dropLast,
                  sampler: sampler, prefetch: prefetch, numWorkers: numWorkers, prefetchFactor: prefetchFactor,
                  recipe: BatchRecipe(dataset, gather: dataset.batch(at:), collate: LightningData.collate))
    }
}
