/// A command beside LightningCLI's subcommands that works on files rather than a model
/// (`plot`, `data shard`, `convert-checkpoint`): parsed from its own arguments, run once.
protocol ToolCommand {
    /// The first word that selects it.
    static var name: String { get }
    /// `--help`'s text.
    static func helpText(programName: String) -> String
    /// The command `arguments` give, or `nil` when they ask for help; throws a ``ConfigError``
    /// for a usage error.
    static func parse(_ arguments: [String]) throws -> Self?
    /// Whether `error` is about the input (a file it cannot read), exit status 2, rather than a
    /// failure to write, exit status 1.
    static func isInputError(_ error: any Error) -> Bool
    /// Does the work; returns the line rank 0 prints.
    func execute() throws -> String
}

extension LightningCLI {
    /// Runs `command` on `arguments`: 0 when done, 2 for a usage error or an input it cannot read
    /// (the message names the file), 1 when writing fails otherwise.
    func run<Command: ToolCommand>(_ command: Command.Type, _ arguments: [String]) -> Int32 {
        do {
            guard let parsed = try Command.parse(arguments) else {
                print(Command.helpText(programName: programName))
                return 0
            }
            let summary = try parsed.execute()
            if LaunchEnvironment.isRankZero { print(summary) }
            return 0
        } catch {
            LaunchEnvironment.reportError("error: \(error)")
            return error is ConfigError || Command.isInputError(error) ? 2 : 1
        }
    }
}
