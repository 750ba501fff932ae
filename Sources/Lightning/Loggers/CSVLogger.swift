import Foundation
import LightningPlot

/// Writes metrics to `<saveDir>/<name>/version_N/metrics.csv` and hyperparameters to
/// `hparams.yaml` beside it, in Lightning's layout: one row per logging call, columns `epoch`,
/// `step` and every metric key sorted, empty cells where a row has no value.
///
/// Each time it writes metrics.csv (every `flushLogsEveryNSteps` rows, at the end of every
/// epoch and of the run) it also writes `metrics.svg`, the training curves as a picture any
/// browser shows (``MetricsPlot``).
public final class CSVLogger: ExperimentLogger {
    /// The directory experiments are kept under.
    public let saveDir: String
    /// The experiment name.
    public let name: String
    private var chosenVersion: String?
    private var rows: [[String: String]] = []
    private var columns: Set<String> = []
    private var dirty = false
    private let flushEveryNSteps: Int
    private var sinceFlush = 0

    /// A CSV logger; `version` fixes the version directory instead of taking the next free one.
    public init(saveDir: String, name: String = "lightning_logs", version: Int? = nil, flushLogsEveryNSteps: Int = 100) {
        self.saveDir = saveDir
        self.name = name
        self.chosenVersion = version.map { "version_\($0)" }
        self.flushEveryNSteps = max(1, flushLogsEveryNSteps)
    }

    /// `version_N`, chosen on first use.
    public var version: String {
        if let chosenVersion { return chosenVersion }
        let picked = nextVersionName(in: "\(saveDir)/\(name)")
        chosenVersion = picked
        return picked
    }

    /// `<saveDir>/<name>/<version>`.
    public var logDir: String? { "\(saveDir)/\(name)/\(version)" }

    /// Uses rank 0's version.
    public func adoptVersion(_ version: String) { chosenVersion = version }

    /// Writes `hparams.yaml`.
    public func logHyperparams(_ hyperparameters: Hyperparameters) throws {
        try ensureDirectory()
        try writeAtomically(hyperparameters.isEmpty ? "{}\n" : hyperparameters.yamlText, to: "\(logDir!)/hparams.yaml")
    }

    /// Adds a row; `epoch`, when given, is a column like any other.
    public func logMetrics(_ metrics: [String: Double], step: Int) throws {
        var row: [String: String] = ["step": "\(step)"]
        for (key, value) in metrics {
            row[key] = key == "epoch" ? "\(Int(value))" : Self.format(value)
        }
        rows.append(row)
        columns.formUnion(row.keys)
        dirty = true
        sinceFlush += 1
        if sinceFlush >= flushEveryNSteps { try save() }
    }

    /// Rewrites `metrics.csv` with every row so far, and `metrics.svg` from it (atomically, so a
    /// crash never leaves half a file).
    public func save() throws {
        sinceFlush = 0
        guard dirty else { return }
        try ensureDirectory()
        let header = columns.sorted()
        var text = header.joined(separator: ",") + "\n"
        for row in rows {
            text += header.map { row[$0].map(Self.escape) ?? "" }.joined(separator: ",") + "\n"
        }
        try writeAtomically(text, to: "\(logDir!)/metrics.csv")
        // Plotted from the CSV text itself, so the picture shows exactly what the file holds.
        let table = try MetricsTable(csv: text, source: "\(logDir!)/metrics.csv")
        try writeAtomically(MetricsPlot.svg([PlotRun(label: nil, table: table)], title: "\(name)/\(version)"), to: "\(logDir!)/metrics.svg")
        dirty = false
    }

    /// Python's `repr` of a float: the shortest text that reads back as the same double.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    private static func escape(_ cell: String) -> String {
        cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }

    private func ensureDirectory() throws {
        try FileManager.default.createDirectory(atPath: logDir!, withIntermediateDirectories: true)
    }
}

/// Writes `text` to a temporary file beside `path` and renames it over `path`.
func writeAtomically(_ text: String, to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, path) != 0 {
            throw LightningError.misconfiguration("could not write \(path): \(String(cString: strerror(errno)))")
        }
    } catch let error as LightningError {
        unlink(temporary)
        throw error
    } catch {
        unlink(temporary)
        throw LightningError.misconfiguration("could not write \(path): \(error.localizedDescription)")
    }
}
