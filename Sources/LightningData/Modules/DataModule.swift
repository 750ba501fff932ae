/// Everything about a dataset in one place: download, split, and the loaders for each stage
/// (Lightning's `LightningDataModule`).
///
/// A trainer calls ``prepareData()`` once (on one process per node in Lightning; ours calls it
/// on rank 0 before a barrier), then ``setup(stage:)`` on every process, then asks for the
/// loaders it needs; a loader that returns `nil` means the stage has no data. Validation, test
/// and predict may have several loaders (``valDataLoaders()`` and its siblings). Under data
/// parallelism the trainer shards the returned loaders itself (``DataLoader/sharded(rank:worldSize:padded:)``).
public protocol DataModule: AnyObject {
    /// What every loader yields, e.g. `(Tensor, Tensor)`; must match the model's `Batch`.
    associatedtype Batch

    /// Downloads or writes files to disk; no state is kept (it may run on one process only).
    func prepareData() throws

    /// Builds the datasets `stage` needs (splits, transforms); runs on every process.
    func setup(stage: Stage) throws

    /// Releases what `setup(stage:)` built.
    func teardown(stage: Stage) throws

    /// The training loader, or `nil` when there is none.
    func trainDataLoader() throws -> DataLoader<Batch>?

    /// The validation loader, or `nil` to skip validation.
    func valDataLoader() throws -> DataLoader<Batch>?

    /// The test loader, or `nil` when there is none.
    func testDataLoader() throws -> DataLoader<Batch>?

    /// The prediction loader, or `nil` when there is none.
    func predictDataLoader() throws -> DataLoader<Batch>?

    /// Every validation loader, run one after the other (Lightning's list of `val_dataloader()`
    /// loaders); default: ``valDataLoader()``'s, if any. Implement it to give several.
    func valDataLoaders() throws -> [DataLoader<Batch>]
    /// Every test loader (default: ``testDataLoader()``'s, if any).
    func testDataLoaders() throws -> [DataLoader<Batch>]
    /// Every prediction loader (default: ``predictDataLoader()``'s, if any).
    func predictDataLoaders() throws -> [DataLoader<Batch>]
}

extension DataModule {
    /// Nothing to download.
    public func prepareData() throws {}
    /// Nothing to build.
    public func setup(stage: Stage) throws {}
    /// Nothing to release.
    public func teardown(stage: Stage) throws {}
    /// No training data.
    public func trainDataLoader() throws -> DataLoader<Batch>? { nil }
    /// No validation data.
    public func valDataLoader() throws -> DataLoader<Batch>? { nil }
    /// No test data.
    public func testDataLoader() throws -> DataLoader<Batch>? { nil }
    /// No prediction data.
    public func predictDataLoader() throws -> DataLoader<Batch>? { nil }
    /// The validation loader, if any.
    public func valDataLoaders() throws -> [DataLoader<Batch>] { try valDataLoader().map { [$0] } ?? [] }
    /// The test loader, if any.
    public func testDataLoaders() throws -> [DataLoader<Batch>] { try testDataLoader().map { [$0] } ?? [] }
    /// The prediction loader, if any.
    public func predictDataLoaders() throws -> [DataLoader<Batch>] { try predictDataLoader().map { [$0] } ?? [] }
}
