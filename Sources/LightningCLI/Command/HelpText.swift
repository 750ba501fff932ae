/// `--help`: the subcommands, and for one subcommand every configuration key with its type and default.
extension LightningCLI {
    /// The help for `subcommand`, or the program's overview when `nil`.
    func helpText(for subcommand: Subcommand?) -> String {
        guard let subcommand else {
            var lines = ["usage: \(programName) <subcommand> [--config FILE.yaml]... [--section.key VALUE]... [--print_config]", "", "subcommands:"]
            for command in Subcommand.allCases { lines.append("  " + command.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0) + command.summary) }
            lines.append("  " + PlotCommand.name.padding(toLength: 10, withPad: " ", startingAt: 0) + PlotCommand.summary)
            lines.append("  " + ShardCommand.name.padding(toLength: 10, withPad: " ", startingAt: 0) + ShardCommand.summary)
            lines.append("  " + ConvertCheckpointCommand.name + "  " + ConvertCheckpointCommand.summary)
            lines += ["", "Configuration follows LightningCLI's YAML layout (seed_everything, trainer, model, data, ckpt_path).",
                      "`\(programName) <subcommand> --help` lists every key; `--print_config` prints the complete configuration."]
            return lines.joined(separator: "\n")
        }
        var lines = [
            "usage: \(programName) \(subcommand.rawValue) [--config FILE.yaml]... [--KEY VALUE | --KEY=VALUE]... [--print_config]",
            "", subcommand.summary + ".",
            "Sources apply in order: defaults, then each --config file and --KEY flag as given (later wins).",
            "Lists: --model.hidden_sizes [128,64]; booleans: --trainer.enable_progress_bar false; null: --trainer.max_epochs null.",
            "",
            "  --config FILE             merge a YAML configuration file (may repeat)",
            "  --print_config            print the complete configuration (YAML) and exit",
        ]
        guard case .section(let entries) = assembly(subcommand).schema else { return lines.joined(separator: "\n") }
        for (key, schema) in entries {
            switch schema {
            case .option(let option):
                lines.append(Self.optionLine("--\(key)", option))
            case .section(let inner):
                lines += ["", "\(key):"]
                for (innerKey, innerSchema) in inner {
                    switch innerSchema {
                    case .option(let option): lines.append(Self.optionLine("--\(key).\(innerKey)", option))
                    case .componentList(let registry):
                        lines.append(Self.line("--\(key).\(innerKey)+=NAME", "add a \(registry.kind): \(registry.specs.map(\.name).joined(separator: ", ")); "
                                               + "then --\(key).\(innerKey).KEY VALUE sets its options (listed below)"))
                    case .component(let registry, let defaultName):
                        lines.append(Self.line("--\(key).\(innerKey) NAME", "\(registry.specs.map(\.name).joined(separator: ", ")) (default: \(defaultName ?? "none")); "
                                               + "--\(key).\(innerKey).KEY VALUE sets its options"))
                    case .loggers(let registry, let defaultName):
                        lines.append(Self.line("--\(key).\(innerKey) NAME|false", "\(registry.specs.map(\.name).joined(separator: ", ")) (default: true, a \(defaultName) logger); "
                                               + "--\(key).\(innerKey).KEY VALUE sets its options"))
                    default: break
                    }
                }
            case .component(let registry, let defaultName):
                lines += ["", "\(key) (--\(key) NAME, then --\(key).KEY VALUE; default \(defaultName ?? "none")):"]
                lines += Self.componentLines(registry, prefix: "--\(key)")
            default:
                break
            }
        }
        if case .component(let strategies, _)? = assembly(subcommand).schema.entry("trainer")?.entry("strategy") {
            lines += ["", "strategies (--trainer.strategy NAME, then --trainer.strategy.KEY VALUE):"]
            lines += Self.componentLines(strategies, prefix: "--trainer.strategy")
        }
        if case .componentList(let callbacks)? = assembly(subcommand).schema.entry("trainer")?.entry("callbacks") {
            lines += ["", "callbacks (--trainer.callbacks+=NAME, then --trainer.callbacks.KEY VALUE):"]
            lines += Self.componentLines(callbacks, prefix: "--trainer.callbacks")
        }
        if case .loggers(let loggers, _)? = assembly(subcommand).schema.entry("trainer")?.entry("logger") {
            lines += ["", "loggers (--trainer.logger NAME, then --trainer.logger.KEY VALUE):"]
            lines += Self.componentLines(loggers, prefix: "--trainer.logger")
        }
        return lines.joined(separator: "\n")
    }

    private static func componentLines(_ registry: ComponentRegistry, prefix: String) -> [String] {
        var lines: [String] = []
        for spec in registry.specs {
            lines.append("  \(spec.name)" + (spec.aliases.isEmpty ? "" : " (\(spec.aliases.joined(separator: ", ")))") + (spec.summary.isEmpty ? "" : ": \(spec.summary)"))
            for option in spec.options { lines.append("  " + optionLine("\(prefix).\(option.key)", option)) }
        }
        return lines
    }

    private static func optionLine(_ flag: String, _ option: any AnyConfigOption) -> String {
        line(flag, (option.help.isEmpty ? "" : option.help + "; ") + "\(option.expectedDescription) (default: \(option.defaultConfigValue.inlineText))")
    }

    private static func line(_ flag: String, _ text: String) -> String {
        "  " + (flag.count < 36 ? flag.padding(toLength: 36, withPad: " ", startingAt: 0) : flag + "  ") + text
    }
}
