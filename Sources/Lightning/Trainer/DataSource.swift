/// Where a run's loaders come from: a ``DataModule`` or loaders passed directly, behind one
/// shape so the loops need not care which. Evaluation and predict stages may have several
/// loaders; an empty list means the stage has no data.
struct DataSource<Batch> {
    var prepare: () throws -> Void = {}
    var setup: (Stage) throws -> Void = { _ in }
    var teardown: (Stage) throws -> Void = { _ in }
    var train: () throws -> DataLoader<Batch>? = { nil }
    var val: () throws -> [DataLoader<Batch>] = { [] }
    var test: () throws -> [DataLoader<Batch>] = { [] }
    var predict: () throws -> [DataLoader<Batch>] = { [] }

    /// Loaders given directly.
    static func loaders(train: DataLoader<Batch>? = nil, val: [DataLoader<Batch>] = [], test: [DataLoader<Batch>] = [],
                        predict: [DataLoader<Batch>] = []) -> DataSource {
        DataSource(train: { train }, val: { val }, test: { test }, predict: { predict })
    }

    /// A data module's hooks and loaders.
    static func module<D: DataModule>(_ data: D) -> DataSource where D.Batch == Batch {
        DataSource(prepare: { try data.prepareData() }, setup: { try data.setup(stage: $0) }, teardown: { try data.teardown(stage: $0) },
                   train: { try data.trainDataLoader() }, val: { try data.valDataLoaders() }, test: { try data.testDataLoaders() },
                   predict: { try data.predictDataLoaders() })
    }
}
