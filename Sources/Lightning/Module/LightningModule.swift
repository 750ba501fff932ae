/// A model and everything about how it trains, as Lightning's `LightningModule`: the steps,
/// the optimizers and the hooks, run by a ``Trainer``.
///
/// ```swift
/// final class Classifier: LightningModule {
///     let net = Sequential(Linear(64, 128), ReLU(), Linear(128, 10))
///     func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
///         let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
///         log("train_loss", loss, progressBar: true)
///         return loss
///     }
///     func configureOptimizers() -> OptimizerConfig { .init(Adam(parameters(), lr: 1e-3)) }
/// }
/// ```
///
/// `Batch` is inferred from `trainingStep`. Every hook has an empty default; implement one to
/// have it called (the Trainer calls callbacks first, then the module).
public typealias LightningModule = LightningModuleBase & LightningModuleProtocol

/// The steps and hooks of a ``LightningModule`` (see there); constrained to its base class.
public protocol LightningModuleProtocol: LightningModuleBase {
    /// What the loaders yield, e.g. `(Tensor, Tensor)`.
    associatedtype Batch
    /// What `trainingStep` returns: a loss `Tensor`, `[String: Tensor]` with `"loss"`, or an optional.
    associatedtype TrainingOutput: TrainingStepOutput
    /// What `validationStep` returns (`Void` unless the module returns outputs for
    /// ``validationEpochEnd(outputs:)``).
    associatedtype ValidationOutput = Void
    /// What `testStep` returns (`Void` unless the module returns outputs for ``testEpochEnd(outputs:)``).
    associatedtype TestOutput = Void
    /// What `predictStep` returns: a `Tensor` (the default), a tuple of tensors, `[String: Tensor]`,
    /// `[Tensor]` or any ``PredictionOutput``; every tensor has one row per sample of the batch.
    associatedtype PredictOutput = Tensor

    /// Computes the loss of one training batch (and logs what it wants to).
    func trainingStep(_ batch: Batch, batchIndex: Int) throws -> TrainingOutput
    /// Evaluates one validation batch, logging its metrics; needed when a run is given validation data.
    func validationStep(_ batch: Batch, batchIndex: Int) throws -> ValidationOutput
    /// Evaluates batch `batchIndex` of validation loader `dataloaderIndex` when a run has several
    /// (Lightning's `dataloader_idx`); the default calls the one-loader form and is an error with
    /// several loaders, so a module given several implements this one.
    func validationStep(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws -> ValidationOutput
    /// Evaluates one test batch, logging its metrics.
    func testStep(_ batch: Batch, batchIndex: Int) throws -> TestOutput
    /// Evaluates batch `batchIndex` of test loader `dataloaderIndex` (see
    /// ``validationStep(_:batchIndex:dataloaderIndex:)``).
    func testStep(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws -> TestOutput
    /// The output for one batch of `predict` (default: the module applied to the batch's input).
    func predictStep(_ batch: Batch, batchIndex: Int) throws -> PredictOutput
    /// The output for batch `batchIndex` of predict loader `dataloaderIndex` (see
    /// ``validationStep(_:batchIndex:dataloaderIndex:)``).
    func predictStep(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws -> PredictOutput
    /// The optimizers and learning rate schedulers to train with.
    func configureOptimizers() throws -> OptimizerConfig
    /// Callbacks the module adds to the Trainer's (Lightning's `configure_callbacks`).
    func configureCallbacks() -> [any Callback]

    /// Downloads or writes data once before `setup`.
    func prepareData() throws
    /// Runs on every process at the start of `fit`, `validate`, `test` or `predict`.
    func setup(stage: Stage) throws
    /// Runs at the end of `fit`, `validate`, `test` or `predict`.
    func teardown(stage: Stage) throws

    /// Called when `fit` begins.
    func onFitStart() throws
    /// Called when `fit` ends.
    func onFitEnd() throws
    /// Called when training begins (after the sanity check).
    func onTrainStart() throws
    /// Called when training ends.
    func onTrainEnd() throws
    /// Called at the start of each training epoch.
    func onTrainEpochStart() throws
    /// Called at the end of each training epoch (after its validation, when that runs at the epoch end).
    func onTrainEpochEnd() throws
    /// Called before each training batch's step.
    func onTrainBatchStart(_ batch: Batch, batchIndex: Int) throws
    /// Called after each training batch's step and optimizer update.
    func onTrainBatchEnd(_ outputs: TrainingOutput, batch: Batch, batchIndex: Int) throws

    /// Called when a validation run begins.
    func onValidationStart() throws
    /// Called when a validation run ends.
    func onValidationEnd() throws
    /// Called at the start of a validation epoch.
    func onValidationEpochStart() throws
    /// Called at the end of a validation epoch.
    func onValidationEpochEnd() throws
    /// Called before each validation batch.
    func onValidationBatchStart(_ batch: Batch, batchIndex: Int) throws
    /// Called before batch `batchIndex` of validation loader `dataloaderIndex` (default: the one-loader form).
    func onValidationBatchStart(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called after each validation batch.
    func onValidationBatchEnd(_ batch: Batch, batchIndex: Int) throws
    /// Called after batch `batchIndex` of validation loader `dataloaderIndex` (default: the one-loader form).
    func onValidationBatchEnd(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws

    /// Called when testing begins.
    func onTestStart() throws
    /// Called when testing ends.
    func onTestEnd() throws
    /// Called at the start of the test epoch.
    func onTestEpochStart() throws
    /// Called at the end of the test epoch.
    func onTestEpochEnd() throws
    /// Called before each test batch.
    func onTestBatchStart(_ batch: Batch, batchIndex: Int) throws
    /// Called before batch `batchIndex` of test loader `dataloaderIndex` (default: the one-loader form).
    func onTestBatchStart(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called after each test batch.
    func onTestBatchEnd(_ batch: Batch, batchIndex: Int) throws
    /// Called after batch `batchIndex` of test loader `dataloaderIndex` (default: the one-loader form).
    func onTestBatchEnd(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws

    /// Called when prediction begins.
    func onPredictStart() throws
    /// Called when prediction ends.
    func onPredictEnd() throws
    /// Called at the start of the prediction epoch.
    func onPredictEpochStart() throws
    /// Called at the end of the prediction epoch.
    func onPredictEpochEnd() throws
    /// Called before each prediction batch.
    func onPredictBatchStart(_ batch: Batch, batchIndex: Int) throws
    /// Called before batch `batchIndex` of predict loader `dataloaderIndex` (default: the one-loader form).
    func onPredictBatchStart(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws
    /// Called after each prediction batch with its output.
    func onPredictBatchEnd(_ outputs: PredictOutput, batch: Batch, batchIndex: Int) throws
    /// Called after batch `batchIndex` of predict loader `dataloaderIndex` (default: the one-loader form).
    func onPredictBatchEnd(_ outputs: PredictOutput, batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws

    /// Called before gradients are cleared for a new accumulation window.
    func onBeforeZeroGrad(_ optimizer: any Optimizer) throws
    /// Called before backward with the (accumulation-scaled) loss.
    func onBeforeBackward(_ loss: Tensor) throws
    /// Called after backward, before gradients are clipped or reduced.
    func onAfterBackward() throws
    /// Called before the optimizer steps, with every gradient of the window accumulated.
    func onBeforeOptimizerStep(_ optimizer: any Optimizer) throws
    /// Steps `optimizer` at the end of an accumulation window under automatic optimization
    /// (Lightning's `optimizer_step`); never called for batches that only accumulate. `closure`
    /// runs the training step, the gradient clearing and backward, and must run before the step:
    /// the default is `optimizer.step(closure: closure)`. Override it for a warm-up or a skipped step.
    func optimizerStep(epoch: Int, batchIndex: Int, optimizer: any Optimizer, closure: () throws -> Void) throws
    /// Steps one learning rate scheduler when its interval is due (Lightning's `lr_scheduler_step`);
    /// `metric` is the monitored value for a ``ReduceLROnPlateau``, else `nil`. Override it to step
    /// a scheduler that is neither an ``LRScheduler`` nor a ``ReduceLROnPlateau``.
    func lrSchedulerStep(scheduler: any LearningRateScheduler, metric: Double?) throws
    /// Clips the gradients before the optimizer steps, given the Trainer's `gradientClipVal` and
    /// `gradientClipAlgorithm` (Lightning's `configure_gradient_clipping`); the default calls
    /// ``LightningModuleBase/clipGradients(_:gradientClipVal:gradientClipAlgorithm:)`` with them.
    /// Under data parallelism the gradients it sees are already averaged.
    func configureGradientClipping(optimizer: any Optimizer, gradientClipVal: Double?, gradientClipAlgorithm: GradientClipAlgorithm?) throws

    /// Lightning's `transfer_batch_to_device`: `batch` on the Trainer's `device`. The Trainer calls
    /// it for every batch when it trains on a GPU (never on the CPU). The default moves tensors,
    /// tuples of two or three tensors, arrays and string-keyed dictionaries of tensors
    /// (``BatchTransfer``); override it for other batch types.
    func transferBatchToDevice(_ batch: Batch, device: Device) -> Batch

    /// Called when a checkpoint is assembled; add entries to `checkpoint.metadata` here.
    func onSaveCheckpoint(_ checkpoint: inout Checkpoint) throws
    /// Called when a checkpoint is restored, before the Trainer reads its state.
    func onLoadCheckpoint(_ checkpoint: Checkpoint) throws
    /// Called when a run stops with an error.
    func onException(_ error: Error)

    /// Whether the Trainer keeps each epoch's step outputs for ``trainingEpochEnd(outputs:)``,
    /// ``validationEpochEnd(outputs:)`` and ``testEpochEnd(outputs:)`` (default `false`: they are
    /// not called and nothing is kept). Set `static let collectsEpochOutputs = true` in a module
    /// that implements them.
    static var collectsEpochOutputs: Bool { get }
    /// Lightning 1.x's `training_epoch_end(outputs)`: the epoch's `trainingStep` results in batch
    /// order, before `onTrainEpochEnd` (only when ``collectsEpochOutputs``).
    func trainingEpochEnd(outputs: [TrainingOutput]) throws
    /// Lightning 1.x's `validation_epoch_end(outputs)`: the run's `validationStep` results in batch
    /// order, before `onValidationEpochEnd` (only when ``collectsEpochOutputs``).
    func validationEpochEnd(outputs: [ValidationOutput]) throws
    /// Lightning 1.x's `test_epoch_end(outputs)`: the run's `testStep` results in batch order,
    /// before `onTestEpochEnd` (only when ``collectsEpochOutputs``).
    func testEpochEnd(outputs: [TestOutput]) throws
}
