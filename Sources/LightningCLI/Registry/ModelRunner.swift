import Lightning

/// The one place where the CLI's erased model and data meet the Trainer's generic API:
/// `Trainer.fit<M, D>` needs both concrete types, so the model side keeps `M` and the data side
/// is a ``ErasedDataModule`` over the batch type, which the model side casts to its own `Batch`.
protocol ModelRunning {
    /// The module (for hyperparameters and messages).
    var module: LightningModuleBase { get }
    /// The model's `Batch` type, for mismatch messages.
    var batchTypeName: String { get }
    /// Whether `data` yields the batches the model takes.
    func accepts(_ data: BuiltDataModule) -> Bool
    /// Runs `subcommand` on the trainer; `returnPredictions: false` keeps no prediction (a
    /// PredictionWriter streams them to a file instead).
    func run(_ subcommand: Subcommand, trainer: Trainer, data: BuiltDataModule, ckptPath: String?, returnPredictions: Bool) throws -> RunOutcome
}

/// What a subcommand produced.
enum RunOutcome {
    /// `fit` finished.
    case fitted
    /// `validate` / `test`: the metrics.
    case evaluated([String: Double])
    /// `predict`: the outputs in dataset order, each as its named tensors (rank 0; empty
    /// elsewhere, and empty everywhere when they were written to a file instead of kept).
    case predicted([[(name: String, tensor: Tensor)]])
}

/// ``ModelRunning`` for a concrete module type.
struct ModelRunner<M: LightningModuleProtocol>: ModelRunning {
    let model: M

    var module: LightningModuleBase { model }
    var batchTypeName: String { "\(M.Batch.self)" }

    func accepts(_ data: BuiltDataModule) -> Bool { data.module is ErasedDataModule<M.Batch> }

    func run(_ subcommand: Subcommand, trainer: Trainer, data: BuiltDataModule, ckptPath: String?, returnPredictions: Bool) throws -> RunOutcome {
        guard let typed = data.module as? ErasedDataModule<M.Batch> else {
            throw ConfigError.usage("the model takes batches of \(batchTypeName) but the data yields \(data.batchTypeName)")
        }
        switch subcommand {
        case .fit:
            try trainer.fit(model, datamodule: typed, ckptPath: ckptPath)
            return .fitted
        case .validate:
            return .evaluated(try trainer.validate(model, datamodule: typed, ckptPath: ckptPath).first ?? [:])
        case .test:
            return .evaluated(try trainer.test(model, datamodule: typed, ckptPath: ckptPath).first ?? [:])
        case .predict:
            let outputs = try trainer.predict(model, datamodule: typed, ckptPath: ckptPath, returnPredictions: returnPredictions)
            return .predicted(try outputs.map(PredictionTensors.named))
        }
    }
}

/// A data module a ``DataFactory`` built, erased to its batch type.
public struct BuiltDataModule {
    /// An ``ErasedDataModule`` of the module's `Batch`.
    let module: AnyObject
    /// The module's `Batch` type, for mismatch messages.
    let batchTypeName: String
    /// What the module says about its samples.
    let info: DataInfo?
    /// The module itself.
    let base: AnyObject

    /// Erases `module`.
    init<D: DataModule>(module: D, info: DataInfo?) {
        self.module = ErasedDataModule(module)
        self.batchTypeName = "\(D.Batch.self)"
        self.info = info
        self.base = module
    }
}

/// A data module of batch type `Batch` that forwards to another of any concrete type.
final class ErasedDataModule<Batch>: DataModule {
    private let prepare: () throws -> Void
    private let setUp: (Stage) throws -> Void
    private let tearDown: (Stage) throws -> Void
    private let loaders: (Stage) throws -> DataLoader<Batch>?
    private let evaluationLoaders: (Stage) throws -> [DataLoader<Batch>]

    init<D: DataModule>(_ base: D) where D.Batch == Batch {
        prepare = { try base.prepareData() }
        setUp = { try base.setup(stage: $0) }
        tearDown = { try base.teardown(stage: $0) }
        loaders = { stage in
            switch stage {
            case .fit: return try base.trainDataLoader()
            case .validate: return try base.valDataLoader()
            case .test: return try base.testDataLoader()
            case .predict: return try base.predictDataLoader()
            }
        }
        evaluationLoaders = { stage in
            switch stage {
            case .fit, .validate: return try base.valDataLoaders()
            case .test: return try base.testDataLoaders()
            case .predict: return try base.predictDataLoaders()
            }
        }
    }

    func prepareData() throws { try prepare() }
    func setup(stage: Stage) throws { try setUp(stage) }
    func teardown(stage: Stage) throws { try tearDown(stage) }
    func trainDataLoader() throws -> DataLoader<Batch>? { try loaders(.fit) }
    func valDataLoader() throws -> DataLoader<Batch>? { try loaders(.validate) }
    func testDataLoader() throws -> DataLoader<Batch>? { try loaders(.test) }
    func predictDataLoader() throws -> DataLoader<Batch>? { try loaders(.predict) }
    func valDataLoaders() throws -> [DataLoader<Batch>] { try evaluationLoaders(.validate) }
    func testDataLoaders() throws -> [DataLoader<Batch>] { try evaluationLoaders(.test) }
    func predictDataLoaders() throws -> [DataLoader<Batch>] { try evaluationLoaders(.predict) }
}
