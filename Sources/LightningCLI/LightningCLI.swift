import Foundation
@_exported import Lightning
import LightningPlot

/// Lightning's `LightningCLI` for Swift: `fit`, `validate`, `test` and `predict` subcommands
/// configured by YAML files and dotted overrides, building a model and a data module by name.
///
/// ```swift
/// LightningCLI(models: [myModel] + ModelFactory.builtIn, data: DataFactory.builtIn).main()
/// ```
/// The first model and data listed are the defaults.
public final class LightningCLI {
    /// The models `model:` can name (the first is the default).
    public let models: [ModelFactory]
    /// The data modules `data:` can name (the first is the default).
    public let data: [DataFactory]
    /// The callbacks `trainer.callbacks` can name (the built-in ones and those given).
    public let callbacks: [CallbackFactory]
    /// YAML merged under every command line (the program's own defaults, e.g. `trainer: {max_epochs: 10}`).
    public let defaultConfig: String
    /// The name `--help` shows.
    public let programName: String
    /// The loggers `trainer.logger` can name (the first is the default).
    public let loggers: [LoggerFactory]
    /// The strategies `trainer.strategy` can name (the first is the default).
    public let strategies: [StrategyFactory]

    /// A CLI over `models` and `data`; `callbacks`, `loggers` and `strategies` are added after the
    /// built-in ones; `defaultConfig` is YAML that command lines override (LightningCLI's
    /// `trainer_defaults` and `parser.set_defaults`).
    public init(models: [ModelFactory], data: [DataFactory], callbacks: [CallbackFactory] = [], loggers: [LoggerFactory] = [],
                strategies: [StrategyFactory] = [], defaultConfig: String = "", programName: String? = nil) {
        precondition(!models.isEmpty && !data.isEmpty, "LightningCLI: give at least one model and one data module")
        self.models = models
        self.data = data
        self.callbacks = callbacks + CallbackFactory.builtIn
        self.loggers = LoggerFactory.builtIn + loggers
        self.strategies = StrategyFactory.builtIn + strategies
        self.defaultConfig = defaultConfig
        self.programName = programName ?? CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "swift-lightning"
    }

    /// Runs the process's command line and exits with its status.
    ///
    /// First, where OpenBLAS chose generic kernels on a CPU with AVX2 or AVX-512, restarts the
    /// process with faster ones (``BLASKernels/selectFastKernels()``); call `main()` before
    /// anything else that has effects outside the process.
    public func main() -> Never {
        BLASKernels.selectFastKernels()
        exit(run(Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs `arguments` (without the program name); returns the exit status: 0 on success, 2 for
    /// a configuration or usage error (printed naming the key), 1 when the run fails.
    @discardableResult
    public func run(_ arguments: [String]) -> Int32 {
        if arguments.first == PlotCommand.name { return run(PlotCommand.self, Array(arguments.dropFirst())) }
        if arguments.first == ShardCommand.name { return run(ShardCommand.self, Array(arguments.dropFirst())) }
        if arguments.first == ConvertCheckpointCommand.name { return run(ConvertCheckpointCommand.self, Array(arguments.dropFirst())) }
        do {
            let invocation = try CommandLineParser.parse(arguments)
            guard let subcommand = invocation.subcommand, !invocation.help else {
                print(helpText(for: invocation.subcommand))
                return 0
            }
            let config = try resolvedConfig(subcommand, steps: invocation.steps)
            if invocation.printConfig {
                if LaunchEnvironment.isRankZero { print(config.yamlText, terminator: "") }
                return 0
            }
            try CLIRun(cli: self, subcommand: subcommand, config: config, reportStartup: invocation.reportStartup).execute()
            return 0
        } catch let error as ConfigError {
            LaunchEnvironment.reportError("error: \(error)")
            return 2
        } catch {
            LaunchEnvironment.reportError("error: \(error)", everyRank: true)
            return 1
        }
    }

    /// The complete, checked configuration `steps` give for `subcommand` (what `--print_config` prints).
    func resolvedConfig(_ subcommand: Subcommand, steps: [Invocation.Step]) throws -> ConfigValue {
        try assembly(subcommand).resolve(defaults: [defaultConfig], steps: steps)
    }

    /// The configuration's shape for `subcommand`.
    func assembly(_ subcommand: Subcommand) -> ConfigAssembly {
        ConfigAssembly(subcommand: subcommand,
                       models: models.registry(kind: "model"), data: data.registry(kind: "data module"),
                       callbacks: callbacks.registry(kind: "callback"), loggers: loggers.registry(kind: "logger"),
                       strategies: strategies.registry(kind: "strategy"))
    }
}
