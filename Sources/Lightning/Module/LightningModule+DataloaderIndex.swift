/// The several-loader forms of the evaluation and predict steps and batch hooks (Lightning's
/// `dataloader_idx` argument). Each defaults to its one-loader form, so a module written for one
/// loader keeps working; the steps' defaults refuse a run with several loaders, as Lightning
/// refuses a `validation_step` without `dataloader_idx` then, since the module could not tell
/// the loaders apart.
extension LightningModuleProtocol {
    /// `validationStep(_:batchIndex:)`; an error when the run has several validation loaders.
    public func validationStep(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws -> ValidationOutput {
        try requireOneLoader(implementing: "validationStep")
        return try validationStep(batch, batchIndex: batchIndex)
    }
    /// `testStep(_:batchIndex:)`; an error when the run has several test loaders.
    public func testStep(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws -> TestOutput {
        try requireOneLoader(implementing: "testStep")
        return try testStep(batch, batchIndex: batchIndex)
    }
    /// `predictStep(_:batchIndex:)`; an error when the run has several predict loaders.
    public func predictStep(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws -> PredictOutput {
        try requireOneLoader(implementing: "predictStep")
        return try predictStep(batch, batchIndex: batchIndex)
    }

    /// `onValidationBatchStart(_:batchIndex:)`.
    public func onValidationBatchStart(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws {
        try onValidationBatchStart(batch, batchIndex: batchIndex)
    }
    /// `onValidationBatchEnd(_:batchIndex:)`.
    public func onValidationBatchEnd(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws {
        try onValidationBatchEnd(batch, batchIndex: batchIndex)
    }
    /// `onTestBatchStart(_:batchIndex:)`.
    public func onTestBatchStart(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws {
        try onTestBatchStart(batch, batchIndex: batchIndex)
    }
    /// `onTestBatchEnd(_:batchIndex:)`.
    public func onTestBatchEnd(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws {
        try onTestBatchEnd(batch, batchIndex: batchIndex)
    }
    /// `onPredictBatchStart(_:batchIndex:)`.
    public func onPredictBatchStart(_ batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws {
        try onPredictBatchStart(batch, batchIndex: batchIndex)
    }
    /// `onPredictBatchEnd(_:batch:batchIndex:)`.
    public func onPredictBatchEnd(_ outputs: PredictOutput, batch: Batch, batchIndex: Int, dataloaderIndex: Int) throws {
        try onPredictBatchEnd(outputs, batch: batch, batchIndex: batchIndex)
    }

    /// Throws when the running stage has several loaders: the one-loader `step` cannot tell them apart.
    private func requireOneLoader(implementing step: String) throws {
        guard let count = trainer?.runningLoaderCount, count > 1 else { return }
        throw LightningError.misconfiguration("\(type(of: self)) was given \(count) loaders but does not implement "
            + "\(step)(_:batchIndex:dataloaderIndex:), which tells them apart")
    }
}
