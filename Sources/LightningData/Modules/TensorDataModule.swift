/// A data module over any `(input, target)` tensor dataset (in memory, or mapped with
/// ``MappedTensorDataset``): it loads the data once in
/// ``setup(stage:)``, splits it into train/val/test with a seed, and serves shuffled training
/// batches and ordered evaluation batches.
///
/// The building block for file-backed modules (``DigitsDataModule`` and ``SyntheticDataModule``
/// are subclasses that only supply `load`):
/// ```swift
/// let data = TensorDataModule(batchSize: 64) {
///     try CSV.read(path: "train.csv", labelColumn: .name("label")).labeledDataset()
/// }
/// ```
public class TensorDataModule: DataModule {
    /// `(inputs, targets)`.
    public typealias Batch = (Tensor, Tensor)

    /// Samples per batch.
    public let batchSize: Int
    /// The share held out for validation.
    public let valFraction: Double
    /// The share held out for testing (and prediction).
    public let testFraction: Double
    /// Seeds the split and the training shuffle.
    public let seed: UInt64
    /// Reads, maps or builds the whole dataset.
    let load: () throws -> AnyDataset<Batch>
    /// Opens the data `predict` runs on, all of it in order; `nil`: the test split.
    let loadPredict: (() throws -> AnyDataset<Batch>)?

    /// The split (index lists over the loaded dataset: no sample is copied), once ``setup(stage:)`` has run.
    public private(set) var splits: DatasetSplits<AnyDataset<Batch>>?

    /// A module whose data `load` provides (called once, from `setup`); `predict`, when given,
    /// opens separate data that ``predictDataLoader()`` serves whole, in order (inference on new
    /// inputs), instead of the test split.
    public init<D: Dataset>(batchSize: Int = 32, valFraction: Double = 0.1, testFraction: Double = 0.1, seed: UInt64 = 0,
                            predict: (() throws -> AnyDataset<Batch>)? = nil,
                            load: @escaping () throws -> D) where D.Element == Batch {
        if batchSize < 1 { tensorFailure("TensorDataModule", "batchSize \(batchSize) must be at least 1") }
        if !(valFraction >= 0 && testFraction >= 0 && valFraction + testFraction < 1) {
            tensorFailure("TensorDataModule", "valFraction \(valFraction) and testFraction \(testFraction) must be non-negative and sum to less than 1")
        }
        self.batchSize = batchSize
        self.valFraction = valFraction
        self.testFraction = testFraction
        self.seed = seed
        self.load = { AnyDataset(try load()) }
        self.loadPredict = predict
    }

    /// Loads and splits the data (the same split for every stage; later calls do nothing).
    public func setup(stage: Stage) throws {
        if splits != nil { return }
        splits = DatasetSplits(try load(), valFraction: valFraction, testFraction: testFraction, seed: seed)
    }

    /// Drops the loaded data.
    public func teardown(stage: Stage) throws { splits = nil }

    /// Shuffled training batches (a new order each epoch, seeded by `seed`).
    public func trainDataLoader() throws -> DataLoader<Batch>? {
        loader(try loadedSplits().train, shuffle: true)
    }

    /// Validation batches in a fixed order; `nil` when `valFraction` is 0.
    public func valDataLoader() throws -> DataLoader<Batch>? {
        loader(try loadedSplits().val, shuffle: false)
    }

    /// Test batches in a fixed order; `nil` when `testFraction` is 0.
    public func testDataLoader() throws -> DataLoader<Batch>? {
        loader(try loadedSplits().test, shuffle: false)
    }

    /// The predict data given at `init`, whole and in order; otherwise the test split (`nil` when
    /// `testFraction` is 0).
    public func predictDataLoader() throws -> DataLoader<Batch>? {
        guard let loadPredict else { return try testDataLoader() }
        let data = try loadPredict()
        return data.count == 0 ? nil : DataLoader(data, batchSize: batchSize, shuffle: false, seed: seed)
    }

    /// The split, running ``setup(stage:)`` first if nobody has, so loaders work either way.
    private func loadedSplits() throws -> DatasetSplits<AnyDataset<Batch>> {
        if splits == nil { try setup(stage: .fit) }
        return splits!
    }

    /// A loader over `subset`, or `nil` when it is empty (the stage then has no data).
    private func loader(_ subset: Subset<AnyDataset<Batch>>, shuffle: Bool) -> DataLoader<Batch>? {
        subset.count == 0 ? nil : DataLoader(subset, batchSize: batchSize, shuffle: shuffle, seed: seed)
    }
}
