import Lightning

/// The `trainer:` section: every Trainer argument under Lightning's snake_case name, with
/// Lightning's defaults (`strategy`, `callbacks` and `logger` are components, see ``CallbackFactory``).
enum TrainerOptions {
    static let accelerator = ConfigOption<AcceleratorChoice>("accelerator", default: .auto,
                                                             help: "where each rank trains: cpu, gpu (GPU local_rank; cuda is the same) or auto (the CPU until GPU training is complete)")
    static let allowDeviceSharing = ConfigOption<Bool>("allow_device_sharing", default: false,
                                                       help: "let more ranks than GPUs on a node share them (rank r on GPU r mod count)")
    static let devices = ConfigOption<DevicesSetting>("devices", default: DevicesSetting(count: nil),
                                                     help: "auto, or a number of processes: started directly, the program re-runs itself under mpirun -n N on this node; under a launcher, checked")
    static let numNodes = ConfigOption<Int>("num_nodes", default: 1, help: "accepted for Lightning configs; nodes come from the launcher",
                                            valid: { $0 == 1 }, expected: "1 (the launcher's host list decides the nodes)")
    static let precision = ConfigOption<String?>("precision", default: "32-true", help: "accepted for Lightning configs; training is float32",
                                                 valid: { $0 == nil || ["32", "32-true"].contains($0!) }, expected: "32-true (float32 training)")
    static let fastDevRun = ConfigOption<FastDevRunSetting>("fast_dev_run", default: FastDevRunSetting(batches: 0),
                                                           help: "run n batches of each stage once, with no logging or checkpoints")
    static let maxEpochs = ConfigOption<Int?>("max_epochs", default: nil, help: "stop after this many epochs (null: 1000 unless max_steps is set; -1: no limit)",
                                              valid: { $0 == nil || $0! >= -1 }, expected: "an integer >= -1 or null")
    static let minEpochs = ConfigOption<Int?>("min_epochs", default: nil, help: "do not stop early before this many epochs",
                                              valid: { $0 == nil || $0! >= 0 }, expected: "an integer >= 0 or null")
    static let maxSteps = ConfigOption<Int>("max_steps", default: -1, help: "stop after this many optimizer steps (-1: no limit)", minimum: -1)
    static let minSteps = ConfigOption<Int?>("min_steps", default: nil, help: "do not stop early before this many optimizer steps",
                                             valid: { $0 == nil || $0! >= 0 }, expected: "an integer >= 0 or null")
    static let maxTime = ConfigOption<TimeLimit?>("max_time", default: nil, help: "stop after this long: seconds, \"DD:HH:MM:SS\" or {hours: 1}")
    static let limitTrainBatches = limit("limit_train_batches", "training batches per epoch")
    static let limitValBatches = limit("limit_val_batches", "validation batches per run")
    static let limitTestBatches = limit("limit_test_batches", "test batches")
    static let limitPredictBatches = limit("limit_predict_batches", "prediction batches")
    static let overfitBatches = limit("overfit_batches", "train and validate on the same batches every epoch, unshuffled (0: off)", default: .fraction(0))
    static let valCheckInterval = ConfigOption<BatchLimit>("val_check_interval", default: .fraction(1.0),
                                                           help: "validate every n training batches (int) or share of an epoch (float)",
                                                           valid: { limit in
                                                               if case .count(let n) = limit { return n >= 1 }
                                                               if case .fraction(let f) = limit { return f > 0 && f <= 1 }
                                                               return false
                                                           }, expected: "a batch count >= 1 (an integer) or a fraction in (0, 1] (a float)")
    static let checkValEveryNEpoch = ConfigOption<Int?>("check_val_every_n_epoch", default: 1, help: "validate in every n-th epoch",
                                                        valid: { $0 == nil || $0! >= 1 }, expected: "an integer >= 1 or null")
    static let numSanityValSteps = ConfigOption<Int>("num_sanity_val_steps", default: 2, help: "validation batches run before training (-1: all)", minimum: -1)
    static let logEveryNSteps = ConfigOption<Int>("log_every_n_steps", default: 50, help: "send step metrics to the loggers every n steps", minimum: 1)
    static let enableCheckpointing = ConfigOption<Bool>("enable_checkpointing", default: true, help: "save checkpoints (false: none, configured ModelCheckpoints dropped)")
    static let enableProgressBar = ConfigOption<Bool?>("enable_progress_bar", default: nil,
                                                       help: "show a progress bar (null: when standard output is a terminal)")
    static let enableModelSummary = ConfigOption<Bool>("enable_model_summary", default: true, help: "print the model's layers when fit starts")
    static let accumulateGradBatches = ConfigOption<Int>("accumulate_grad_batches", default: 1, help: "batches whose gradients add up per optimizer step", minimum: 1)
    static let gradientClipVal = ConfigOption<Double?>("gradient_clip_val", default: nil, help: "clip gradients to this value",
                                                       valid: { $0 == nil || ($0! >= 0 && $0!.isFinite) }, expected: "a number >= 0 or null")
    static let gradientClipAlgorithm = ConfigOption<GradientClipAlgorithm>("gradient_clip_algorithm", default: .norm, help: "norm or value")
    static let deterministic = ConfigOption<Bool>("deterministic", default: false, help: "accepted for Lightning configs (CPU runs are deterministic)")
    static let benchmark = ConfigOption<Bool?>("benchmark", default: nil, help: "accepted for Lightning configs (cuDNN's search; no effect on the CPU)")
    static let inferenceMode = ConfigOption<Bool>("inference_mode", default: true,
                                                  help: "evaluate and predict in inference mode (false: under no_grad, where a step may enable gradients)")
    static let useDistributedSampler = ConfigOption<Bool>("use_distributed_sampler", default: true,
                                                          help: "shard the loaders across processes (false: every process uses its loader as it is)")
    static let profiler = ConfigOption<String?>("profiler", default: nil, help: "simple: time every action, report when the stage ends (null: off)",
                                                valid: { $0 == nil || ProfilerSetting.names.contains($0!.lowercased()) },
                                                expected: "simple or null")
    static let detectAnomaly = ConfigOption<Bool>("detect_anomaly", default: false, help: "stop training at the first NaN or infinity in backward, naming the operation")
    static let syncBatchnorm = ConfigOption<Bool>("sync_batchnorm", default: false, help: "BatchNorm statistics over every process's batch in training")
    static let reloadDataloadersEveryNEpochs = ConfigOption<Int>("reload_dataloaders_every_n_epochs", default: 0,
                                                                 help: "request the training and validation loaders again every n epochs (0: never)", minimum: 0)
    static let defaultRootDir = ConfigOption<String?>("default_root_dir", default: nil, help: "where logs and checkpoints go (null: the current directory)")

    private static func limit(_ key: String, _ what: String, default value: BatchLimit = .fraction(1.0)) -> ConfigOption<BatchLimit> {
        ConfigOption(key, default: value, help: "\(what): a count (int) or a share (float)", valid: { limit in
            if case .count(let n) = limit { return n >= 0 }
            if case .fraction(let f) = limit { return f >= 0 && f <= 1 }
            return false
        }, expected: BatchLimit.expectedDescription)
    }

    /// The section's schema, in Lightning's argument order.
    static func schema(callbacks: ComponentRegistry, loggers: ComponentRegistry, strategies: ComponentRegistry) -> ConfigSchema {
        func o(_ option: any AnyConfigOption) -> (key: String, schema: ConfigSchema) { (option.key, .option(option)) }
        return .section([
            o(accelerator), ("strategy", .component(strategies, defaultName: strategies.specs[0].name)), o(devices), o(numNodes), o(precision),
            o(allowDeviceSharing),
            ("logger", .loggers(loggers, defaultName: loggers.specs[0].name)),
            ("callbacks", .componentList(callbacks)),
            o(fastDevRun), o(maxEpochs), o(minEpochs), o(maxSteps), o(minSteps), o(maxTime),
            o(limitTrainBatches), o(limitValBatches), o(limitTestBatches), o(limitPredictBatches), o(overfitBatches),
            o(valCheckInterval), o(checkValEveryNEpoch), o(numSanityValSteps), o(logEveryNSteps),
            o(enableCheckpointing), o(enableProgressBar), o(enableModelSummary),
            o(accumulateGradBatches), o(gradientClipVal), o(gradientClipAlgorithm), o(deterministic),
            o(benchmark), o(inferenceMode), o(useDistributedSampler),
            o(profiler), o(detectAnomaly), o(syncBatchnorm), o(reloadDataloadersEveryNEpochs), o(defaultRootDir),
        ])
    }
}
