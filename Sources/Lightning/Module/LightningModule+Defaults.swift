/// The one-loader steps, unless the module implements them: an error naming the missing step.
/// They are unconstrained so that a module implementing only the several-loader form (with
/// `dataloaderIndex:`) gets its output types inferred from that form.
extension LightningModuleProtocol {
    /// No validation step: a run given validation data reports that it is missing.
    public func validationStep(_ batch: Batch, batchIndex: Int) throws -> ValidationOutput {
        throw LightningError.stepNotImplemented(module: "\(type(of: self))", step: "validationStep")
    }
    /// No test step: `test` reports that it is missing.
    public func testStep(_ batch: Batch, batchIndex: Int) throws -> TestOutput {
        throw LightningError.stepNotImplemented(module: "\(type(of: self))", step: "testStep")
    }
    /// No predict step for this batch type: `predict` reports that it is missing.
    public func predictStep(_ batch: Batch, batchIndex: Int) throws -> PredictOutput {
        throw LightningError.stepNotImplemented(module: "\(type(of: self))", step: "predictStep")
    }
}

/// The defaults that make every step but `trainingStep` and every hook optional.
extension LightningModuleProtocol {
    /// No callbacks of the module's own.
    public func configureCallbacks() -> [any Callback] { [] }

    /// Nothing to prepare.
    public func prepareData() throws {}
    /// Nothing to set up.
    public func setup(stage: Stage) throws {}
    /// Nothing to tear down.
    public func teardown(stage: Stage) throws {}

    /// Does nothing.
    public func onFitStart() throws {}
    /// Does nothing.
    public func onFitEnd() throws {}
    /// Does nothing.
    public func onTrainStart() throws {}
    /// Does nothing.
    public func onTrainEnd() throws {}
    /// Does nothing.
    public func onTrainEpochStart() throws {}
    /// Does nothing.
    public func onTrainEpochEnd() throws {}
    /// Does nothing.
    public func onTrainBatchStart(_ batch: Batch, batchIndex: Int) throws {}
    /// Does nothing.
    public func onTrainBatchEnd(_ outputs: TrainingOutput, batch: Batch, batchIndex: Int) throws {}

    /// Does nothing.
    public func onValidationStart() throws {}
    /// Does nothing.
    public func onValidationEnd() throws {}
    /// Does nothing.
    public func onValidationEpochStart() throws {}
    /// Does nothing.
    public func onValidationEpochEnd() throws {}
    /// Does nothing.
    public func onValidationBatchStart(_ batch: Batch, batchIndex: Int) throws {}
    /// Does nothing.
    public func onValidationBatchEnd(_ batch: Batch, batchIndex: Int) throws {}

    /// Does nothing.
    public func onTestStart() throws {}
    /// Does nothing.
    public func onTestEnd() throws {}
    /// Does nothing.
    public func onTestEpochStart() throws {}
    /// Does nothing.
    public func onTestEpochEnd() throws {}
    /// Does nothing.
    public func onTestBatchStart(_ batch: Batch, batchIndex: Int) throws {}
    /// Does nothing.
    public func onTestBatchEnd(_ batch: Batch, batchIndex: Int) throws {}

    /// Does nothing.
    public func onPredictStart() throws {}
    /// Does nothing.
    public func onPredictEnd() throws {}
    /// Does nothing.
    public func onPredictEpochStart() throws {}
    /// Does nothing.
    public func onPredictEpochEnd() throws {}
    /// Does nothing.
    public func onPredictBatchStart(_ batch: Batch, batchIndex: Int) throws {}
    /// Does nothing.
    public func onPredictBatchEnd(_ outputs: PredictOutput, batch: Batch, batchIndex: Int) throws {}

    /// Does nothing.
    public func onBeforeZeroGrad(_ optimizer: any Optimizer) throws {}
    /// Does nothing.
    public func onBeforeBackward(_ loss: Tensor) throws {}
    /// Does nothing.
    public func onAfterBackward() throws {}
    /// Does nothing.
    public func onBeforeOptimizerStep(_ optimizer: any Optimizer) throws {}

    /// Adds nothing.
    public func onSaveCheckpoint(_ checkpoint: inout Checkpoint) throws {}
    /// Reads nothing.
    public func onLoadCheckpoint(_ checkpoint: Checkpoint) throws {}
    /// Does nothing.
    public func onException(_ error: Error) {}
    /// Moves the tensors ``BatchTransfer`` knows; other batch types are returned as they are.
    public func transferBatchToDevice(_ batch: Batch, device: Device) -> Batch { BatchTransfer.move(batch, to: device) }
}

/// Predicting from `(input, target)` batches: the module applied to the input.
extension LightningModuleProtocol where Batch == (Tensor, Tensor), PredictOutput == Tensor {
    /// `self(batch.0)`.
    public func predictStep(_ batch: Batch, batchIndex: Int) throws -> Tensor { self(batch.0) }
}

/// Predicting from tensor batches: the module applied to the batch.
extension LightningModuleProtocol where Batch == Tensor, PredictOutput == Tensor {
    /// `self(batch)`.
    public func predictStep(_ batch: Batch, batchIndex: Int) throws -> Tensor { self(batch) }
}

/// Predicting from `[input, …]` batches: the module applied to the first tensor.
extension LightningModuleProtocol where Batch == [Tensor], PredictOutput == Tensor {
    /// `self(batch[0])`.
    public func predictStep(_ batch: Batch, batchIndex: Int) throws -> Tensor { self(batch[0]) }
}
