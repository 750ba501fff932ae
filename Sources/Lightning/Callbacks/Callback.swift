/// Code that plugs into a run at its hooks (Lightning's `Callback`): checkpointing, early
/// stopping, progress bars, timers. Every hook has an empty default; implement the ones you need.
///
/// The Trainer calls callbacks before the module at each hook. A callback with state returns it
/// from ``stateDict()`` and gets it back in ``loadStateDict(_:)`` when a run resumes; the state is
/// saved under ``stateKey``.
public protocol Callback: AnyObject {
    /// The key of this callback's state in checkpoints (default: its type name).
    var stateKey: String { get }
    /// The state to save in checkpoints, or `nil` for none.
    func stateDict() throws -> JSONValue?
    /// Restores the state saved by ``stateDict()``.
    func loadStateDict(_ state: JSONValue) throws

    /// Called at the start of `fit`, `validate`, `test` or `predict`, before the module's `setup`.
    func setup(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws
    /// Called at the end of a run.
    func teardown(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws
    /// Called when `fit` begins.
    func onFitStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called when `fit` ends.
    func onFitEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called before the sanity-check validation.
    func onSanityCheckStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called after the sanity-check validation.
    func onSanityCheckEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called when training begins.
    func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called when training ends.
    func onTrainEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the start of each training epoch.
    func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the end of each training epoch.
    func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called before each training batch.
    func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws
    /// Called after each training batch with the step's output.
    func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws
    /// Called when a validation run begins.
    func onValidationStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called when a validation run ends (its metrics are in `trainer.callbackMetrics`).
    func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the start of a validation epoch.
    func onValidationEpochStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the end of a validation epoch.
    func onValidationEpochEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called before each validation batch.
    func onValidationBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws
    /// Called after each validation batch.
    func onValidationBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws
    /// Called before batch `batchIndex` of validation loader `dataloaderIndex` (default: the one-loader form).
    func onValidationBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called after batch `batchIndex` of validation loader `dataloaderIndex` (default: the one-loader form).
    func onValidationBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called when testing begins.
    func onTestStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called when testing ends.
    func onTestEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the start of the test epoch.
    func onTestEpochStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the end of the test epoch.
    func onTestEpochEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called before each test batch.
    func onTestBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws
    /// Called after each test batch.
    func onTestBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws
    /// Called before batch `batchIndex` of test loader `dataloaderIndex` (default: the one-loader form).
    func onTestBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called after batch `batchIndex` of test loader `dataloaderIndex` (default: the one-loader form).
    func onTestBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called when prediction begins.
    func onPredictStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called when prediction ends.
    func onPredictEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the start of the prediction epoch.
    func onPredictEpochStart(trainer: Trainer, module: LightningModuleBase) throws
    /// Called at the end of the prediction epoch, with this process's outputs in order.
    func onPredictEpochEnd(trainer: Trainer, module: LightningModuleBase) throws
    /// Called before each prediction batch.
    func onPredictBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws
    /// Called after each prediction batch with its output.
    func onPredictBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: Tensor, batch: Any, batchIndex: Int) throws
    /// Called before batch `batchIndex` of predict loader `dataloaderIndex` (default: the one-loader form).
    func onPredictBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called after batch `batchIndex` of predict loader `dataloaderIndex` with `predictStep`'s
    /// output, whatever its type (default: the one-loader form when the output is a `Tensor`;
    /// ``PredictionTensors/named(_:)`` flattens any other).
    func onPredictBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: Any, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called before gradients are cleared.
    func onBeforeZeroGrad(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws
    /// Called before backward.
    func onBeforeBackward(trainer: Trainer, module: LightningModuleBase, loss: Tensor) throws
    /// Called after backward.
    func onAfterBackward(trainer: Trainer, module: LightningModuleBase) throws
    /// Called before the optimizer steps.
    func onBeforeOptimizerStep(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws
    /// Called when a checkpoint is assembled.
    func onSaveCheckpoint(trainer: Trainer, module: LightningModuleBase, checkpoint: inout Checkpoint) throws
    /// Called when a checkpoint is restored.
    func onLoadCheckpoint(trainer: Trainer, module: LightningModuleBase, checkpoint: Checkpoint) throws
    /// Called when a run stops with an error.
    func onException(trainer: Trainer, module: LightningModuleBase, error: Error)
}

extension Callback {
    /// The type name.
    public var stateKey: String { String(describing: type(of: self)) }
    /// No state.
    public func stateDict() throws -> JSONValue? { nil }
    /// Nothing to restore.
    public func loadStateDict(_ state: JSONValue) throws {}

    /// Does nothing.
    public func setup(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {}
    /// Does nothing.
    public func teardown(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {}
    /// Does nothing.
    public func onFitStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onFitEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onSanityCheckStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onSanityCheckEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTrainEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onValidationStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onValidationEpochStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onValidationEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onValidationBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onValidationBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onTestStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTestEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTestEpochStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTestEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onTestBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onTestBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onPredictStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onPredictEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onPredictEpochStart(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onPredictEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onPredictBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onPredictBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: Tensor, batch: Any, batchIndex: Int) throws {}
    /// Does nothing.
    public func onBeforeZeroGrad(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws {}
    /// Does nothing.
    public func onBeforeBackward(trainer: Trainer, module: LightningModuleBase, loss: Tensor) throws {}
    /// Does nothing.
    public func onAfterBackward(trainer: Trainer, module: LightningModuleBase) throws {}
    /// Does nothing.
    public func onBeforeOptimizerStep(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws {}
    /// Does nothing.
    public func onSaveCheckpoint(trainer: Trainer, module: LightningModuleBase, checkpoint: inout Checkpoint) throws {}
    /// Does nothing.
    public func onLoadCheckpoint(trainer: Trainer, module: LightningModuleBase, checkpoint: Checkpoint) throws {}
    /// Does nothing.
    public func onException(trainer: Trainer, module: LightningModuleBase, error: Error) {}
}

/// A callback that decides from monitored metrics (ModelCheckpoint, EarlyStopping): at the end
/// of a training epoch it runs after the module's hook, so it sees what the module logged there.
public protocol MonitoringCallback: Callback {}
