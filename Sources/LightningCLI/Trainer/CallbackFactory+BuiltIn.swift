import Lightning

/// The Lightning callbacks the configuration can name.
extension CallbackFactory {
    /// ModelCheckpoint, EarlyStopping, LearningRateMonitor, TrainingTimer (`Timer`), ModelSummary, ProgressBar,
    /// ThroughputMonitor, DeviceStatsMonitor.
    public static let builtIn: [CallbackFactory] = [modelCheckpoint, earlyStopping, learningRateMonitor, trainingTimer, modelSummary, progressBar,
                                                    throughputMonitor, deviceStatsMonitor]

    private static let optionalCount: @Sendable (Int?) -> Bool = { $0 == nil || $0! >= 0 }

    enum CheckpointOptions {
        static let dirpath = ConfigOption<String?>("dirpath", default: nil, help: "where checkpoints go (null: <log dir>/checkpoints)")
        static let filename = ConfigOption<String?>("filename", default: nil, help: "file-name template (null: {epoch}-{step})")
        static let monitor = ConfigOption<String?>("monitor", default: nil, help: "metric that ranks checkpoints (null: keep the latest)")
        static let mode = ConfigOption<MonitorMode>("mode", default: .min, help: "min or max: which way the monitored metric improves")
        static let saveTopK = ConfigOption<Int>("save_top_k", default: 1, help: "best checkpoints kept (-1: all)", minimum: -1)
        static let saveLast = ConfigOption<Bool>("save_last", default: false, help: "also write last.ckpt at every save")
        static let everyNTrainSteps = ConfigOption<Int>("every_n_train_steps", default: 0, help: "save every n optimizer steps (0: off)", minimum: 0)
        static let everyNEpochs = ConfigOption<Int?>("every_n_epochs", default: nil, help: "save every n epochs (null: 1 unless every_n_train_steps)",
                                                     valid: optionalCount, expected: "an integer >= 0 or null")
        static let saveOnTrainEpochEnd = ConfigOption<Bool?>("save_on_train_epoch_end", default: nil, help: "save after training rather than after validation")
        static let autoInsertMetricName = ConfigOption<Bool>("auto_insert_metric_name", default: true, help: "write epoch=3 rather than 3 in file names")
    }

    static let modelCheckpoint = CallbackFactory(
        "ModelCheckpoint", summary: "save the best checkpoints by a monitored metric",
        options: [CheckpointOptions.dirpath, CheckpointOptions.filename, CheckpointOptions.monitor, CheckpointOptions.mode, CheckpointOptions.saveTopK,
                  CheckpointOptions.saveLast, CheckpointOptions.everyNTrainSteps, CheckpointOptions.everyNEpochs,
                  CheckpointOptions.saveOnTrainEpochEnd, CheckpointOptions.autoInsertMetricName]
    ) { s in
        typealias O = CheckpointOptions
        return ModelCheckpoint(dirpath: s[O.dirpath], filename: s[O.filename], monitor: s[O.monitor], mode: s[O.mode], saveTopK: s[O.saveTopK],
                               saveLast: s[O.saveLast], everyNTrainSteps: s[O.everyNTrainSteps], everyNEpochs: s[O.everyNEpochs],
                               saveOnTrainEpochEnd: s[O.saveOnTrainEpochEnd], autoInsertMetricName: s[O.autoInsertMetricName])
    }

    enum EarlyStoppingOptions {
        static let monitor = ConfigOption<String?>("monitor", default: nil, help: "the metric watched (required)",
                                                   valid: { $0 != nil && !$0!.isEmpty }, expected: "a logged metric's name, e.g. val_loss (required)")
        static let minDelta = ConfigOption<Double>("min_delta", default: 0, help: "the smallest change that counts as an improvement")
        static let patience = ConfigOption<Int>("patience", default: 3, help: "checks without improvement before stopping", minimum: 0)
        static let mode = ConfigOption<MonitorMode>("mode", default: .min, help: "min or max")
        static let strict = ConfigOption<Bool>("strict", default: true, help: "a missing metric is an error")
        static let checkFinite = ConfigOption<Bool>("check_finite", default: true, help: "stop when the metric is NaN or infinite")
        static let stoppingThreshold = ConfigOption<Double?>("stopping_threshold", default: nil, help: "stop once the metric is better than this")
        static let divergenceThreshold = ConfigOption<Double?>("divergence_threshold", default: nil, help: "stop once the metric is worse than this")
        static let checkOnTrainEpochEnd = ConfigOption<Bool?>("check_on_train_epoch_end", default: nil, help: "check after training rather than after validation")
        static let verbose = ConfigOption<Bool>("verbose", default: false, help: "say why training stops")
    }

    static let earlyStopping = CallbackFactory(
        "EarlyStopping", summary: "stop when a monitored metric stops improving",
        options: [EarlyStoppingOptions.monitor, EarlyStoppingOptions.minDelta, EarlyStoppingOptions.patience, EarlyStoppingOptions.mode,
                  EarlyStoppingOptions.strict, EarlyStoppingOptions.checkFinite, EarlyStoppingOptions.stoppingThreshold,
                  EarlyStoppingOptions.divergenceThreshold, EarlyStoppingOptions.checkOnTrainEpochEnd, EarlyStoppingOptions.verbose]
    ) { s in
        typealias O = EarlyStoppingOptions
        return EarlyStopping(monitor: s[O.monitor] ?? "", minDelta: s[O.minDelta], patience: s[O.patience], mode: s[O.mode], strict: s[O.strict],
                             checkFinite: s[O.checkFinite], stoppingThreshold: s[O.stoppingThreshold], divergenceThreshold: s[O.divergenceThreshold],
                             checkOnTrainEpochEnd: s[O.checkOnTrainEpochEnd], verbose: s[O.verbose])
    }

    static let loggingInterval = ConfigOption<LRSchedulerConfig.Interval?>("logging_interval", default: nil, help: "step, epoch, or null (each scheduler's own)")
    static let learningRateMonitor = CallbackFactory("LearningRateMonitor", summary: "log learning rates", options: [loggingInterval]) { s in
        LearningRateMonitor(loggingInterval: s[loggingInterval])
    }

    static let duration = ConfigOption<TimeLimit?>("duration", default: nil, help: "stop fit after this long: seconds, \"DD:HH:MM:SS\" or {hours: 1}")
    static let trainingTimer = CallbackFactory("TrainingTimer", aliases: ["Timer"], summary: "time each stage; stop fit after a budget",
                                               options: [duration]) { s in
        TrainingTimer(duration: s[duration]?.seconds)
    }

    static let modelSummary = CallbackFactory("ModelSummary", summary: "print the model's layers when fit starts") { _ in ModelSummary() }

    static let refreshRate = ConfigOption<Int>("refresh_rate", default: 1, help: "redraw every n batches", minimum: 1)
    static let progressBar = CallbackFactory("ProgressBar", aliases: ["TQDMProgressBar"], summary: "a progress bar on standard error (rank 0)",
                                             options: [refreshRate]) { s in
        ProgressBar(refreshRate: s[refreshRate])
    }

    static let windowSize = ConfigOption<Int>("window_size", default: 100, help: "batches the rates are computed over", minimum: 2)
    static let throughputMonitor = CallbackFactory("ThroughputMonitor", summary: "log samples and batches per second, per rank and for the job",
                                                   options: [windowSize]) { s in
        // A configuration cannot hold a function: the batch size is the one `log` infers.
        ThroughputMonitor(windowSize: s[windowSize])
    }

    static let deviceStatsMonitor = CallbackFactory("DeviceStatsMonitor", summary: "log CPU and memory use, per rank") { _ in DeviceStatsMonitor() }
}
