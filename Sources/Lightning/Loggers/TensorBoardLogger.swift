import Foundation
import TensorBoardEvents

/// Writes metrics and hyperparameters as TensorBoard event files under
/// `<saveDir>/<name>/version_N/` (Lightning's `TensorBoardLogger`), plus `hparams.yaml`;
/// `tensorboard --logdir <saveDir>` shows them.
///
/// With `logHistogramsEveryNSteps` it also records, every n optimizer steps, a histogram of each
/// parameter (`weights/<name>`) and its gradient (`gradients/<name>`), taken just before the
/// optimizer step (see ``EventFileWriter/addHistogram(tag:values:step:bucketCount:wallTime:)``
/// for the buckets).
public final class TensorBoardLogger: ExperimentLogger {
    /// The directory experiments are kept under.
    public let saveDir: String
    /// The experiment name.
    public let name: String
    private var chosenVersion: String?
    private var writer: EventFileWriter?
    private var hyperparameters: Hyperparameters = [:]
    /// Record parameter and gradient histograms at every step divisible by this (`nil`: never).
    public let logHistogramsEveryNSteps: Int?
    /// The step histograms were last recorded at, so several optimizers stepping in one batch
    /// (manual optimization) record each step once.
    var lastHistogramStep: Int?

    /// A TensorBoard logger; `version` fixes the version directory instead of taking the next
    /// free one; `logHistogramsEveryNSteps` (off by default: they cost a pass over every weight)
    /// records weight and gradient histograms every n optimizer steps.
    public init(saveDir: String, name: String = "lightning_logs", version: Int? = nil, logHistogramsEveryNSteps: Int? = nil) {
        precondition(logHistogramsEveryNSteps.map { $0 >= 1 } ?? true,
                     "TensorBoardLogger: logHistogramsEveryNSteps must be at least 1 (or nil), got \(logHistogramsEveryNSteps!)")
        self.saveDir = saveDir
        self.name = name
        self.chosenVersion = version.map { "version_\($0)" }
        self.logHistogramsEveryNSteps = logHistogramsEveryNSteps
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

    func eventWriter() throws -> EventFileWriter {
        if let writer { return writer }
        let created = try EventFileWriter(logDirectory: logDir!)
        writer = created
        return created
    }

    /// Writes `hparams.yaml` and the HParams plugin's summaries.
    public func logHyperparams(_ hyperparameters: Hyperparameters) throws {
        self.hyperparameters = hyperparameters
        try FileManager.default.createDirectory(atPath: logDir!, withIntermediateDirectories: true)
        try writeAtomically(hyperparameters.isEmpty ? "{}\n" : hyperparameters.yamlText, to: "\(logDir!)/hparams.yaml")
        guard !hyperparameters.isEmpty else { return }
        var values: [String: HParamValue] = [:]
        for (key, value) in hyperparameters {
            switch value {
            case .int(let v): values[key] = .number(Double(v))
            case .double(let v): values[key] = .number(v)
            case .string(let v): values[key] = .string(v)
            case .bool(let v): values[key] = .bool(v)
            }
        }
        try eventWriter().addHParams(values, metrics: ["hp_metric": -1])
    }

    /// One scalar per metric at `step` (`epoch` included, as Lightning does).
    public func logMetrics(_ metrics: [String: Double], step: Int) throws {
        let writer = try eventWriter()
        for key in metrics.keys.sorted() { try writer.addScalar(tag: key, value: metrics[key]!, step: step) }
    }

    /// Flushes buffered events.
    public func save() throws { try writer?.flush() }

    /// Flushes and closes the event file.
    public func finalize(status: String) throws {
        try writer?.close()
        writer = nil
    }
}
