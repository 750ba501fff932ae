/// Calls every hook of a run in one place, as Lightning's `call.py`: the callbacks first (at the
/// end of a training epoch, monitoring callbacks after the module), then the module. While a
/// hook runs, `log` records under its name; an invalid `log` call is thrown when it returns.
struct HookDispatcher<M: LightningModuleProtocol> {
    unowned let trainer: Trainer
    let module: M

    /// Runs `callbackHook` on each callback and then `moduleHook`, as hook `name`.
    private func call(_ name: String, _ callbackHook: (any Callback) throws -> Void, _ moduleHook: (M) throws -> Void) throws {
        let connector = trainer.logConnector
        let previous = connector.hook
        connector.hook = name
        defer { connector.hook = previous }
        if let run = trainer.profiledRun {
            for (index, callback) in trainer.callbacks.enumerated() { try run.measure(run.callbackAction(name, index)) { try callbackHook(callback) } }
            try run.measure(run.moduleAction(name)) { try moduleHook(module) }
        } else {
            for callback in trainer.callbacks { try callbackHook(callback) }
            try moduleHook(module)
        }
        try connector.throwPendingError()
    }

    /// `batch` on the Trainer's device through the module's `transferBatchToDevice` (Lightning's
    /// `transfer_batch_to_device`); a CPU run calls nothing.
    func onDevice(_ batch: M.Batch) -> M.Batch {
        let device = trainer.device
        return device.isCPU ? batch : module.transferBatchToDevice(batch, device: device)
    }

    /// Runs the module's part of hook `name` alone (steps, `configureOptimizers`).
    func module<R>(_ name: String, _ body: (M) throws -> R) throws -> R {
        let connector = trainer.logConnector
        let previous = connector.hook
        connector.hook = name
        defer { connector.hook = previous }
        let result = try trainer.profiledRun.map { run in try run.measure(run.moduleAction(name)) { try body(module) } } ?? body(module)
        try connector.throwPendingError()
        return result
    }

    /// Runs the callbacks' part of hook `name` alone, on the callbacks `including` selects (so a
    /// profiler counts only the calls that happen).
    func callbacks(_ name: String, including: (any Callback) -> Bool = { _ in true }, _ body: (any Callback) throws -> Void) throws {
        let connector = trainer.logConnector
        let previous = connector.hook
        connector.hook = name
        defer { connector.hook = previous }
        if let run = trainer.profiledRun {
            for (index, callback) in trainer.callbacks.enumerated() where including(callback) {
                try run.measure(run.callbackAction(name, index)) { try body(callback) }
            }
        } else {
            for callback in trainer.callbacks where including(callback) { try body(callback) }
        }
        try connector.throwPendingError()
    }

    var t: Trainer { trainer }
    var m: LightningModuleBase { module }

    func setup(_ stage: Stage) throws {
        try call("setup", { try $0.setup(trainer: t, module: m, stage: stage) }, { try $0.setup(stage: stage) })
    }
    func teardown(_ stage: Stage) throws {
        try call("teardown", { try $0.teardown(trainer: t, module: m, stage: stage) }, { try $0.teardown(stage: stage) })
    }
    func onFitStart() throws { try call("on_fit_start", { try $0.onFitStart(trainer: t, module: m) }, { try $0.onFitStart() }) }
    func onFitEnd() throws { try call("on_fit_end", { try $0.onFitEnd(trainer: t, module: m) }, { try $0.onFitEnd() }) }
    func onSanityCheckStart() throws { try callbacks("on_sanity_check_start") { try $0.onSanityCheckStart(trainer: t, module: m) } }
    func onSanityCheckEnd() throws { try callbacks("on_sanity_check_end") { try $0.onSanityCheckEnd(trainer: t, module: m) } }
    func onTrainStart() throws { try call("on_train_start", { try $0.onTrainStart(trainer: t, module: m) }, { try $0.onTrainStart() }) }
    func onTrainEnd() throws { try call("on_train_end", { try $0.onTrainEnd(trainer: t, module: m) }, { try $0.onTrainEnd() }) }
    func onTrainEpochStart() throws {
        try call("on_train_epoch_start", { try $0.onTrainEpochStart(trainer: t, module: m) }, { try $0.onTrainEpochStart() })
    }
    /// Plain callbacks, then the module, then monitoring callbacks, so those see what the module logged.
    func onTrainEpochEnd() throws {
        try callbacks("on_train_epoch_end", including: { !($0 is MonitoringCallback) }) { try $0.onTrainEpochEnd(trainer: t, module: m) }
        try module("on_train_epoch_end") { try $0.onTrainEpochEnd() }
        // The epoch's values go into callbackMetrics now, so monitoring callbacks can rank by them.
        _ = try trainer.profiled(ProfiledRun.reduceEpochMetrics) { try trainer.logConnector.epochMetrics(.train, strategy: trainer.strategy, reset: false) }
        try callbacks("on_train_epoch_end", including: { $0 is MonitoringCallback }) { try $0.onTrainEpochEnd(trainer: t, module: m) }
    }
    func onTrainBatchStart(_ batch: M.Batch, _ index: Int) throws {
        try call("on_train_batch_start", { try $0.onTrainBatchStart(trainer: t, module: m, batch: batch, batchIndex: index) },
                 { try $0.onTrainBatchStart(batch, batchIndex: index) })
    }
    func onTrainBatchEnd(_ outputs: M.TrainingOutput?, _ batch: M.Batch, _ index: Int) throws {
        try call("on_train_batch_end", { try $0.onTrainBatchEnd(trainer: t, module: m, outputs: outputs, batch: batch, batchIndex: index) },
                 { module in if let outputs { try module.onTrainBatchEnd(outputs, batch: batch, batchIndex: index) } })
    }
    func onBeforeZeroGrad(_ optimizer: any Optimizer) throws {
        try call("on_before_zero_grad", { try $0.onBeforeZeroGrad(trainer: t, module: m, optimizer: optimizer) }, { try $0.onBeforeZeroGrad(optimizer) })
    }
    func onBeforeBackward(_ loss: Tensor) throws {
        try call("on_before_backward", { try $0.onBeforeBackward(trainer: t, module: m, loss: loss) }, { try $0.onBeforeBackward(loss) })
    }
    func onAfterBackward() throws {
        try call("on_after_backward", { try $0.onAfterBackward(trainer: t, module: m) }, { try $0.onAfterBackward() })
    }
    func onBeforeOptimizerStep(_ optimizer: any Optimizer) throws {
        try call("on_before_optimizer_step", { try $0.onBeforeOptimizerStep(trainer: t, module: m, optimizer: optimizer) },
                 { try $0.onBeforeOptimizerStep(optimizer) })
        // The gradients are final here and the weights not yet stepped: the moment to record both.
        try trainer.logParameterHistograms(of: module)
    }

    // MARK: Evaluation (validation and test share the loop)

    func onEvaluationStart(_ stage: ResultStage) throws {
        if stage == .validation {
            try call("on_validation_start", { try $0.onValidationStart(trainer: t, module: m) }, { try $0.onValidationStart() })
        } else {
            try call("on_test_start", { try $0.onTestStart(trainer: t, module: m) }, { try $0.onTestStart() })
        }
    }
    func onEvaluationEnd(_ stage: ResultStage) throws {
        if stage == .validation {
            try call("on_validation_end", { try $0.onValidationEnd(trainer: t, module: m) }, { try $0.onValidationEnd() })
        } else {
            try call("on_test_end", { try $0.onTestEnd(trainer: t, module: m) }, { try $0.onTestEnd() })
        }
    }
    func onEvaluationEpochStart(_ stage: ResultStage) throws {
        if stage == .validation {
            try call("on_validation_epoch_start", { try $0.onValidationEpochStart(trainer: t, module: m) }, { try $0.onValidationEpochStart() })
        } else {
            try call("on_test_epoch_start", { try $0.onTestEpochStart(trainer: t, module: m) }, { try $0.onTestEpochStart() })
        }
    }
    func onEvaluationEpochEnd(_ stage: ResultStage) throws {
        if stage == .validation {
            try call("on_validation_epoch_end", { try $0.onValidationEpochEnd(trainer: t, module: m) }, { try $0.onValidationEpochEnd() })
        } else {
            try call("on_test_epoch_end", { try $0.onTestEpochEnd(trainer: t, module: m) }, { try $0.onTestEpochEnd() })
        }
    }
    func onEvaluationBatchStart(_ stage: ResultStage, _ batch: M.Batch, _ index: Int, loader: Int) throws {
        if stage == .validation {
            try call("on_validation_batch_start",
                     { try $0.onValidationBatchStart(trainer: t, module: m, batch: batch, batchIndex: index, dataloaderIndex: loader) },
                     { try $0.onValidationBatchStart(batch, batchIndex: index, dataloaderIndex: loader) })
        } else {
            try call("on_test_batch_start", { try $0.onTestBatchStart(trainer: t, module: m, batch: batch, batchIndex: index, dataloaderIndex: loader) },
                     { try $0.onTestBatchStart(batch, batchIndex: index, dataloaderIndex: loader) })
        }
    }
    func onEvaluationBatchEnd(_ stage: ResultStage, _ batch: M.Batch, _ index: Int, loader: Int) throws {
        if stage == .validation {
            try call("on_validation_batch_end",
                     { try $0.onValidationBatchEnd(trainer: t, module: m, batch: batch, batchIndex: index, dataloaderIndex: loader) },
                     { try $0.onValidationBatchEnd(batch, batchIndex: index, dataloaderIndex: loader) })
        } else {
            try call("on_test_batch_end", { try $0.onTestBatchEnd(trainer: t, module: m, batch: batch, batchIndex: index, dataloaderIndex: loader) },
                     { try $0.onTestBatchEnd(batch, batchIndex: index, dataloaderIndex: loader) })
        }
    }
    /// The stage's step; its output goes into `outputs` (kept only when the module collects them).
    func evaluationStep(_ stage: ResultStage, _ batch: M.Batch, _ index: Int, loader: Int, outputs: inout EvaluationOutputs<M>) throws {
        let trainer = self.trainer
        if stage == .validation {
            let output = try module("validation_step") { try $0.validationStep(batch, batchIndex: index, dataloaderIndex: loader) }
            outputs.validation.append(output, trainer: trainer)
        } else {
            let output = try module("test_step") { try $0.testStep(batch, batchIndex: index, dataloaderIndex: loader) }
            outputs.test.append(output, trainer: trainer)
        }
    }
    /// The module's `validationEpochEnd(outputs:)` / `testEpochEnd(outputs:)`, when it collects outputs.
    func evaluationEpochEndOutputs(_ stage: ResultStage, _ outputs: inout EvaluationOutputs<M>) throws {
        guard M.collectsEpochOutputs else { return }
        if stage == .validation {
            let collected = outputs.validation.take()
            try module("validation_epoch_end") { try $0.validationEpochEnd(outputs: collected) }
        } else {
            let collected = outputs.test.take()
            try module("test_epoch_end") { try $0.testEpochEnd(outputs: collected) }
        }
    }

    // MARK: Prediction

    func onPredictStart() throws { try call("on_predict_start", { try $0.onPredictStart(trainer: t, module: m) }, { try $0.onPredictStart() }) }
    func onPredictEnd() throws { try call("on_predict_end", { try $0.onPredictEnd(trainer: t, module: m) }, { try $0.onPredictEnd() }) }
    func onPredictEpochStart() throws {
        try call("on_predict_epoch_start", { try $0.onPredictEpochStart(trainer: t, module: m) }, { try $0.onPredictEpochStart() })
    }
    func onPredictEpochEnd() throws {
        try call("on_predict_epoch_end", { try $0.onPredictEpochEnd(trainer: t, module: m) }, { try $0.onPredictEpochEnd() })
    }
    func onPredictBatchStart(_ batch: M.Batch, _ index: Int, loader: Int) throws {
        try call("on_predict_batch_start",
                 { try $0.onPredictBatchStart(trainer: t, module: m, batch: batch, batchIndex: index, dataloaderIndex: loader) },
                 { try $0.onPredictBatchStart(batch, batchIndex: index, dataloaderIndex: loader) })
    }
    /// The module's `predictStep` for batch `index` of loader `loader`.
    func predictStep(_ batch: M.Batch, _ index: Int, loader: Int) throws -> M.PredictOutput {
        try module("predict_step") { try $0.predictStep(batch, batchIndex: index, dataloaderIndex: loader) }
    }
    func onPredictBatchEnd(_ outputs: M.PredictOutput, _ batch: M.Batch, _ index: Int, loader: Int) throws {
        try call("on_predict_batch_end",
                 { try $0.onPredictBatchEnd(trainer: t, module: m, outputs: outputs, batch: batch, batchIndex: index, dataloaderIndex: loader) },
                 { try $0.onPredictBatchEnd(outputs, batch: batch, batchIndex: index, dataloaderIndex: loader) })
    }

    // MARK: Checkpoints and failures

    func onSaveCheckpoint(_ checkpoint: inout Checkpoint) throws {
        for callback in trainer.callbacks { try callback.onSaveCheckpoint(trainer: t, module: m, checkpoint: &checkpoint) }
        try module.onSaveCheckpoint(&checkpoint)
    }
    func onLoadCheckpoint(_ checkpoint: Checkpoint) throws {
        for callback in trainer.callbacks { try callback.onLoadCheckpoint(trainer: t, module: m, checkpoint: checkpoint) }
        try module.onLoadCheckpoint(checkpoint)
    }
    func onException(_ error: Error) {
        for callback in trainer.callbacks { callback.onException(trainer: t, module: m, error: error) }
        module.onException(error)
    }
}
