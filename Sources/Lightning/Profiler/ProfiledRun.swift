/// The action names of one run, built once when it starts so that timing an action costs no
/// string building (Lightning's spellings: `[Callback]<type>.<hook>`, `[LightningModule]<type>.<hook>`,
/// `[Strategy]<type>.<step>`).
final class ProfiledRun {
    let profiler: any Profiler
    let modulePrefix: String
    let strategyPrefix: String
    let callbackPrefixes: [String]
    /// `[Strategy]<type>.backward`: the loss's backward pass.
    let backward: String
    /// `[Strategy]<type>.reduce_gradients`: the gradient averaging (beyond Lightning, whose DDP
    /// averages inside backward).
    let reduceGradients: String
    /// `[LightningModule]<type>.optimizer_step`: clipping and the optimizer's step.
    let optimizerStep: String
    /// `[LightningModule]<type>.optimizer_zero_grad`.
    let optimizerZeroGrad: String
    /// One training epoch (Lightning's name).
    static let runTrainingEpoch = "run_training_epoch"
    /// One training batch's step, backward, averaging and optimizer step (Lightning's name).
    static let runTrainingBatch = "run_training_batch"
    /// Fetching a training batch from the loader (Lightning's name).
    static let trainDataloaderNext = "[_TrainingEpochLoop].train_dataloader_next"
    /// Fetching a prediction batch.
    static let predictDataloaderNext = "[_PredictionLoop].predict_next"
    /// The epoch metrics' reduction (across ranks under data parallelism).
    static let reduceEpochMetrics = "[_LoggerConnector].reduce_epoch_metrics"
    /// A checkpoint save (written by rank 0, then every rank meets at a barrier).
    static let saveCheckpoint = "[Trainer].save_checkpoint"

    /// Fetching an evaluation batch (Lightning's `val_next` and `test_next`).
    static func evaluationDataloaderNext(_ stage: ResultStage) -> String {
        stage == .validation ? "[_EvaluationLoop].val_next" : "[_EvaluationLoop].test_next"
    }

    private var callbackNames: [String: [String]] = [:]
    private var moduleNames: [String: String] = [:]

    /// The actions Lightning calls through the strategy rather than as module hooks.
    private static let strategySteps: Set<String> = ["training_step", "validation_step", "test_step", "predict_step"]

    init(profiler: any Profiler, module: AnyObject, strategy: any Strategy, callbacks: [any Callback]) {
        self.profiler = profiler
        modulePrefix = "[LightningModule]\(type(of: module))"
        strategyPrefix = "[Strategy]\(type(of: strategy))"
        callbackPrefixes = callbacks.map { "[Callback]\(type(of: $0))" }
        backward = strategyPrefix + ".backward"
        reduceGradients = strategyPrefix + ".reduce_gradients"
        optimizerStep = modulePrefix + ".optimizer_step"
        optimizerZeroGrad = modulePrefix + ".optimizer_zero_grad"
    }

    /// `[Callback]<type>.<hook>` of callback `index`.
    func callbackAction(_ hook: String, _ index: Int) -> String {
        if let names = callbackNames[hook] { return names[index] }
        let names = callbackPrefixes.map { $0 + "." + hook }
        callbackNames[hook] = names
        return names[index]
    }

    /// The module's part of `hook`; the steps are named after the strategy, as Lightning does.
    func moduleAction(_ hook: String) -> String {
        if let name = moduleNames[hook] { return name }
        let name = (Self.strategySteps.contains(hook) ? strategyPrefix : modulePrefix) + "." + hook
        moduleNames[hook] = name
        return name
    }

    /// Runs `body` as `action`.
    @inline(__always)
    func measure<R>(_ action: String, _ body: () throws -> R) rethrows -> R {
        try profiler.measure(action, body)
    }
}
