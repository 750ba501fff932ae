import Foundation
import Lightning

/// Builds the Trainer from the checked `trainer:` section: arguments, callbacks by name and loggers.
struct TrainerBuilder {
    /// The callbacks the configuration can name.
    let callbackFactories: [CallbackFactory]
    /// The loggers it can name.
    let loggerFactories: [LoggerFactory]
    /// The strategies it can name.
    let strategyFactories: [StrategyFactory]

    /// A Trainer for `section` (resolved), with `extraCallbacks` (the CLI's own) after the configured ones.
    /// The strategy is the library's default under `strategy: auto`: the launcher decides the world.
    func build(_ section: ConfigMapping, extraCallbacks: [any Callback]) throws -> Trainer {
        typealias O = TrainerOptions
        let s = ConfigSection(path: "trainer", values: section)
        let root = s[O.defaultRootDir]
        var callbacks: [any Callback] = []
        if case .list(let items)? = section["callbacks"] {
            for (index, item) in items.enumerated() {
                let (name, arguments) = try Self.component(item)
                let factory = try callbackFactories.factory(named: name, kind: "callback", at: "trainer.callbacks[\(index)]")
                callbacks.append(try factory.build(ConfigSection(path: "trainer.callbacks[\(index)].init_args", values: arguments)))
            }
        }
        // `enable_checkpointing: false` means no checkpoints, also from a ModelCheckpoint the defaults configured.
        if !s[O.enableCheckpointing] { callbacks.removeAll { $0 is ModelCheckpoint } }
        let trainer = Trainer(
            maxEpochs: s[O.maxEpochs], minEpochs: s[O.minEpochs], maxSteps: s[O.maxSteps], minSteps: s[O.minSteps],
            maxTime: s[O.maxTime]?.seconds, limitTrainBatches: s[O.limitTrainBatches], limitValBatches: s[O.limitValBatches],
            limitTestBatches: s[O.limitTestBatches], limitPredictBatches: s[O.limitPredictBatches],
            overfitBatches: s[O.overfitBatches], valCheckInterval: s[O.valCheckInterval],
            checkValEveryNEpoch: s[O.checkValEveryNEpoch], numSanityValSteps: s[O.numSanityValSteps], logEveryNSteps: s[O.logEveryNSteps],
            accumulateGradBatches: s[O.accumulateGradBatches], gradientClipVal: s[O.gradientClipVal],
            gradientClipAlgorithm: s[O.gradientClipAlgorithm], deterministic: s[O.deterministic],
            benchmark: s[O.benchmark], inferenceMode: s[O.inferenceMode], useDistributedSampler: s[O.useDistributedSampler],
            reloadDataloadersEveryNEpochs: s[O.reloadDataloadersEveryNEpochs], fastDevRun: s[O.fastDevRun].batches,
            enableCheckpointing: s[O.enableCheckpointing],
            enableProgressBar: s[O.enableProgressBar] ?? (isatty(STDOUT_FILENO) != 0),
            enableModelSummary: s[O.enableModelSummary], defaultRootDir: root,
            callbacks: callbacks + extraCallbacks,
            logger: try loggers(section["logger"], root: root ?? FileManager.default.currentDirectoryPath),
            accelerator: s[O.accelerator].rawValue, devices: s[O.devices].count, allowDeviceSharing: s[O.allowDeviceSharing],
            strategy: try strategy(section["strategy"]), profiler: s[O.profiler].map { ProfilerSetting.named($0) },
            detectAnomaly: s[O.detectAnomaly], syncBatchnorm: s[O.syncBatchnorm])
        // A GPU that cannot be used is the configuration's error, reported before anything is written.
        if let problem = trainer.acceleratorProblem { throw ConfigError.usage("trainer.\(problem)") }
        return trainer
    }

    /// The configured strategy, or `nil` for `auto`.
    private func strategy(_ value: ConfigValue?) throws -> (any Strategy)? {
        guard let value else { return nil }
        let (name, arguments) = try Self.component(value)
        let factory = try strategyFactories.factory(named: name, kind: "strategy", at: "trainer.strategy")
        if factory.name == StrategyFactory.singleDevice.name, let processes = LaunchEnvironment.worldSize, processes > 1 {
            // Each process would train its own model and write the same log directory and checkpoints.
            throw ConfigError.invalidValue(key: "trainer.strategy", expected: "auto or ddp under a launch of \(processes) processes "
                                           + "(single_device would train \(processes) separate models writing the same log directory; start one process for it)",
                                           got: name)
        }
        return try factory.build(ConfigSection(path: "trainer.strategy.init_args", values: arguments))
    }

    /// `true`: the default CSV logger; `false`: none; one or more components.
    private func loggers(_ value: ConfigValue?, root: String) throws -> LoggerSetting {
        let items: [ConfigValue]
        switch value {
        case .bool(let flag)?: return flag ? true : false
        case .list(let list)?: items = list
        case let one?: items = [one]
        case nil: return true
        }
        return .loggers(try items.map { item in
            let (name, arguments) = try Self.component(item)
            let factory = try loggerFactories.factory(named: name, kind: "logger", at: "trainer.logger")
            return try factory.build(ConfigSection(path: "trainer.logger.init_args", values: arguments, defaultRootDir: root))
        })
    }

    /// The name and options of a resolved `{class_path, init_args}`.
    static func component(_ value: ConfigValue) throws -> (String, ConfigMapping) {
        guard case .mapping(let m) = value, case .string(let name)? = m["class_path"] else {
            throw ConfigError.usage("internal: a component was not resolved to {class_path, init_args}")
        }
        return (name, m["init_args"]?.mapping ?? ConfigMapping())
    }
}
