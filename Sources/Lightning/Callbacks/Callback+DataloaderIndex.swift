/// The several-loader forms of the evaluation and predict batch hooks call the one-loader forms,
/// so a callback written for one loader is called with any number.
extension Callback {
    /// `onValidationBatchStart(trainer:module:batch:batchIndex:)`.
    public func onValidationBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
        try onValidationBatchStart(trainer: trainer, module: module, batch: batch, batchIndex: batchIndex)
    }
    /// `onValidationBatchEnd(trainer:module:batch:batchIndex:)`.
    public func onValidationBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
        try onValidationBatchEnd(trainer: trainer, module: module, batch: batch, batchIndex: batchIndex)
    }
    /// `onTestBatchStart(trainer:module:batch:batchIndex:)`.
    public func onTestBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
        try onTestBatchStart(trainer: trainer, module: module, batch: batch, batchIndex: batchIndex)
    }
    /// `onTestBatchEnd(trainer:module:batch:batchIndex:)`.
    public func onTestBatchEnd(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
        try onTestBatchEnd(trainer: trainer, module: module, batch: batch, batchIndex: batchIndex)
    }
    /// `onPredictBatchStart(trainer:module:batch:batchIndex:)`.
    public func onPredictBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
        try onPredictBatchStart(trainer: trainer, module: module, batch: batch, batchIndex: batchIndex)
    }
    /// `onPredictBatchEnd(trainer:module:outputs:batch:batchIndex:)` when the output is a `Tensor`.
    public func onPredictBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: Any, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
        guard let tensor = outputs as? Tensor else { return }
        try onPredictBatchEnd(trainer: trainer, module: module, outputs: tensor, batch: batch, batchIndex: batchIndex)
    }
}
