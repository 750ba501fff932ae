import Foundation
import LightningPlot

/// `swift-lightning plot DIR… --output FILE.svg`: training curves from log directories as one
/// SVG, several runs overlaid (series named `version_3/val_loss`) to compare them.
///
/// A DIR is a run's directory holding metrics.csv (`lightning_logs/version_0`) or a directory of
/// such runs (`lightning_logs`). It takes no configuration, so it is parsed apart from the
/// training subcommands.
struct PlotCommand: Equatable, ToolCommand {
    /// The name on the command line.
    static let name = "plot"
    /// One line for the program's `--help`.
    static let summary = "draw metrics.csv curves of log directories as one SVG (compare runs)"

    /// The directories given, in order.
    var directories: [String]
    /// The SVG to write.
    var output: String

    /// A PlotError is about the input.
    static func isInputError(_ error: any Error) -> Bool { error is PlotError }

    /// The command's help.
    static func helpText(programName: String) -> String {
        """
        usage: \(programName) plot DIR... --output FILE.svg

        Draws the training curves in metrics.csv as an SVG any browser shows: one panel per metric
        (train_loss_step, train_loss_epoch and val_loss together), against the step they were logged at.
        DIR is a run's directory holding metrics.csv (lightning_logs/version_0) or a directory of
        version_N runs (lightning_logs); several runs are overlaid, their series named version_N/metric.

          --output FILE.svg         the file to write (required)
        """
    }

    /// The command `arguments` (after `plot`) stand for, or nil when they ask for help.
    static func parse(_ arguments: [String]) throws -> PlotCommand? {
        var directories: [String] = []
        var output: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" { return nil }
            if argument == "--output" || argument == "-o" {
                guard index < arguments.count else { throw ConfigError.usage("plot \(argument): expected a file (--output FILE.svg)") }
                output = arguments[index]
                index += 1
            } else if argument.hasPrefix("--output=") {
                output = String(argument.dropFirst("--output=".count))
            } else if argument.hasPrefix("-") {
                throw ConfigError.usage("plot: unknown option '\(argument)' (usage: plot DIR... --output FILE.svg)")
            } else {
                directories.append(argument)
            }
        }
        guard !directories.isEmpty else { throw ConfigError.usage("plot: expected at least one log directory (usage: plot DIR... --output FILE.svg)") }
        guard let output, !output.isEmpty else { throw ConfigError.usage("plot: expected --output FILE.svg") }
        return PlotCommand(directories: directories, output: output)
    }

    /// Reads every run, draws them and writes `output` (rank 0 only, under a launcher); returns
    /// what it wrote, for the user.
    func execute() throws -> String {
        let found = try directories.flatMap(Self.metricsFiles(in:))
        let labels = Self.labels(for: found.map(\.directory))
        let runs = try zip(found, labels).map { file, label in
            let text: String
            do {
                text = try String(contentsOfFile: file.csv, encoding: .utf8)
            } catch {
                throw PlotError("\(file.csv): cannot read: \(error.localizedDescription)")
            }
            return PlotRun(label: found.count > 1 ? label : nil, table: try MetricsTable(csv: text, source: file.csv))
        }
        let title = found.count == 1 ? found[0].csv : labels.joined(separator: ", ")
        let panels = MetricsPlot.panels(runs)
        if LaunchEnvironment.isRankZero { try MetricsPlot.write(MetricsPlot.svg(runs, title: title), to: output) }
        return "wrote \(output): \(panels.map(\.series.count).reduce(0, +)) series in \(panels.count) panels from \(found.count) run\(found.count == 1 ? "" : "s")"
    }

    /// The metrics.csv files `directory` stands for: its own, or those of its `version_N`
    /// directories in version order (a version without one, e.g. a run that failed before
    /// logging, is passed over).
    static func metricsFiles(in directory: String) throws -> [(directory: String, csv: String)] {
        let trimmed = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: trimmed, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PlotError("\(directory): no such directory")
        }
        if manager.fileExists(atPath: trimmed + "/metrics.csv") { return [(trimmed, trimmed + "/metrics.csv")] }
        let versions = ((try? manager.contentsOfDirectory(atPath: trimmed)) ?? [])
            .compactMap { name in name.hasPrefix("version_") ? Int(name.dropFirst("version_".count)).map { ($0, name) } : nil }
            .sorted { $0.0 < $1.0 }
            .map { trimmed + "/" + $0.1 }
            .filter { manager.fileExists(atPath: $0 + "/metrics.csv") }
        guard !versions.isEmpty else {
            throw PlotError("\(directory): no metrics.csv in it, and no version_N directory holding one")
        }
        return versions.map { ($0, $0 + "/metrics.csv") }
    }

    /// Each run's label: its directory's name (`version_3`), or the last two path components
    /// when names repeat (`exp_a/version_0`, `exp_b/version_0`).
    static func labels(for directories: [String]) -> [String] {
        let names = directories.map { ($0 as NSString).lastPathComponent }
        guard Set(names).count < names.count else { return names }
        return directories.map { path in
            let components = (path as NSString).pathComponents.filter { $0 != "/" }
            return components.suffix(2).joined(separator: "/")
        }
    }
}
