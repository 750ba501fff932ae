/// A parsed command line: the subcommand and the configuration steps in the order given, so a
/// later `--config` or override wins over an earlier one.
struct Invocation: Equatable {
    /// One configuration source.
    enum Step: Equatable {
        /// `--config FILE`.
        case file(String)
        /// `--a.b.c VALUE` (or `--a.b.c=VALUE`).
        case set(key: String, value: String)
        /// `--a.b+=VALUE`: add to a list of components.
        case append(key: String, value: String)
    }

    /// What to run; `nil` with `help` for the program's own help.
    var subcommand: Subcommand?
    /// The sources, in order.
    var steps: [Step] = []
    /// `--print_config`: print the merged configuration and exit.
    var printConfig = false
    /// `--help`.
    var help = false
    /// `--report_startup` (hidden): print `startup_to_first_step_s` after the first training step.
    var reportStartup = false
}

/// Reads the command line (everything after the program name).
enum CommandLineParser {
    /// The invocation `arguments` stands for; throws a usage error naming the argument.
    static func parse(_ arguments: [String]) throws -> Invocation {
        var invocation = Invocation()
        guard let first = arguments.first else { invocation.help = true; return invocation }
        if ["-h", "--help", "help"].contains(first) {
            invocation.help = true
            if arguments.count > 1 { invocation.subcommand = Subcommand(rawValue: arguments[1]) }
            return invocation
        }
        guard let subcommand = Subcommand(rawValue: first) else {
            let names = Subcommand.allCases.map(\.rawValue) + [PlotCommand.name]
            let guesses = Suggestions.closest(to: first, among: names)
            let hint = guesses.isEmpty ? "" : "; did you mean \(Suggestions.list(guesses))?"
            throw ConfigError.usage("unknown subcommand '\(first)'\(hint) (choices: \(names.joined(separator: ", ")))")
        }
        invocation.subcommand = subcommand
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") || argument == "-c" || argument == "-h" else {
                throw ConfigError.usage("unexpected argument '\(argument)': options are --key value or --key=value (e.g. --trainer.max_epochs 5)")
            }
            var name = argument == "-c" ? "config" : String(argument.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            switch name {
            case "h", "help":
                invocation.help = true
                continue
            case "print_config":
                invocation.printConfig = true
                continue
            case "report_startup":
                invocation.reportStartup = true
                continue
            default:
                break
            }
            if value == nil {
                guard index < arguments.count, !arguments[index].hasPrefix("--") else {
                    throw ConfigError.usage("--\(name): expected a value (--\(name) VALUE or --\(name)=VALUE)")
                }
                value = arguments[index]
                index += 1
            }
            guard !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..") else {
                throw ConfigError.usage("'\(argument)': expected --key or --section.key")
            }
            if name == "config" {
                invocation.steps.append(.file(value!))
            } else if name.hasSuffix("+") {
                invocation.steps.append(.append(key: String(name.dropLast()), value: value!))
            } else {
                invocation.steps.append(.set(key: name, value: value!))
            }
        }
        return invocation
    }
}
