import Foundation
import Lightning

/// One subcommand run from a checked configuration: the Trainer, the seed, the data, the model,
/// then the run and its closing report.
struct CLIRun {
    let cli: LightningCLI
    let subcommand: Subcommand
    /// The complete configuration (as `--print_config` prints it).
    let config: ConfigValue
    let reportStartup: Bool

    func execute() throws {
        let sections = config.mapping ?? ConfigMapping()
        let saveConfig = SaveConfigCallback()
        var extra: [any Callback] = [saveConfig]
        if subcommand == .fit { extra.append(EpochSummary()) }
        if reportStartup { extra.append(StartupTimer()) }
        let output = sections["predict"]?.mapping.map { ConfigSection(path: "predict", values: $0)[ConfigAssembly.predictOutput] } ?? nil
        // With an output file the predictions are streamed there and never held: memory stays at a
        // few batches per process whatever the data's size.
        let writer = output.map { PredictionWriter(path: $0) }
        if let writer { extra.append(writer) }

        let trainer = try TrainerBuilder(callbackFactories: cli.callbacks, loggerFactories: cli.loggers, strategyFactories: cli.strategies)
            .build(sections["trainer"]?.mapping ?? ConfigMapping(), extraCallbacks: extra)
        var recorded = sections
        if let seed = try agreedSeed(ConfigSection(path: "", values: sections)[ConfigAssembly.seedEverything], trainer: trainer) {
            seedEverything(seed)
            recorded["seed_everything"] = seed.configValue
        }
        saveConfig.text = ConfigValue.mapping(recorded).yamlText

        let (dataName, dataArguments) = try TrainerBuilder.component(sections["data"] ?? .null)
        let dataFactory = try cli.data.factory(named: dataName, kind: "data module", at: "data")
        let data = try dataFactory.build(ConfigSection(path: "data.init_args", values: dataArguments))
        let (modelName, modelArguments) = try TrainerBuilder.component(sections["model"] ?? .null)
        let modelFactory = try cli.models.factory(named: modelName, kind: "model", at: "model")
        let runner = try modelFactory.build(ConfigSection(path: "model.init_args", values: modelArguments, dataInfo: data.info)).runner
        guard runner.accepts(data) else {
            throw ConfigError.usage("model '\(modelName)' takes batches of \(runner.batchTypeName) but data '\(dataName)' yields \(data.batchTypeName); "
                                    + "choose a model and data module that agree")
        }
        let ckptPath = try ConfigSection(path: "", values: sections)[ConfigAssembly.ckptPath].map { try CheckpointLookup.resolve($0, trainer: trainer, model: sections["model"]) }
        let outcome = try runner.run(subcommand, trainer: trainer, data: data, ckptPath: ckptPath, returnPredictions: writer == nil)
        if trainer.isGlobalZero { report(outcome, trainer: trainer, writer: writer) }
    }

    /// The seed every process uses: the configured one, or rank 0's random pick (`true`); `nil` for `false`.
    private func agreedSeed(_ setting: SeedSetting, trainer: Trainer) throws -> UInt64? {
        switch setting {
        case .seed(let seed): return seed
        case .flag(false): return nil
        case .flag(true):
            let picked = UInt64.random(in: 0...UInt64(UInt32.max))
            return UInt64(try trainer.strategy.broadcast(String(picked))) ?? picked
        }
    }

    /// The closing line(s), rank 0.
    private func report(_ outcome: RunOutcome, trainer: Trainer, writer: PredictionWriter?) {
        switch outcome {
        case .fitted:
            let validation = trainer.callbackMetrics.filter { $0.key.hasPrefix("val") }
            var line = validation.isEmpty ? "fit done" : EpochSummary.metricsText(validation)
            if let checkpoint = trainer.checkpointCallback, !checkpoint.bestModelPath.isEmpty {
                let score = checkpoint.bestModelScore.map { " (\(checkpoint.monitor ?? "score") \(String(format: "%.4f", $0)))" } ?? ""
                line += "  best checkpoint: \(checkpoint.bestModelPath)\(score)"
            } else {
                line += "  (no checkpoint saved)"
            }
            print(line)
        case .evaluated:
            break  // The Trainer printed the metrics table.
        case .predicted(let batches):
            // Written predictions were not kept: the writer knows the array's shape.
            let rows = writer?.writtenShape?.first ?? batches.reduce(0) { $0 + ($1.first?.tensor.shape.first ?? 1) }
            let describe = { (shape: [Int]) in "[" + shape.dropFirst().map(String.init).joined(separator: ", ") + "]" }
            // A structured output (named tensors) shows each tensor's row shape by name.
            let parts = batches.first ?? []
            let each = writer?.writtenShape.map(describe)
                ?? (parts.count > 1 || parts.first.map({ !$0.name.isEmpty }) == true
                    ? "{" + parts.map { "\($0.name): \(describe($0.tensor.shape))" }.joined(separator: ", ") + "}"
                    : describe(parts.first?.tensor.shape ?? [0]))
            print("predicted \(rows) samples, each \(each)" + (writer.map { "; written to \($0.path)" } ?? "; pass --predict.output FILE to save them"))
        }
    }
}
