import Foundation

/// Where a run's metrics and hyperparameters are recorded (Lightning's `Logger`: CSV files,
/// TensorBoard event files, …). Only rank 0's Trainer calls a logger.
///
/// Named `ExperimentLogger` so it never clashes with swift-log's `Logger` in a file that
/// imports both.
public protocol ExperimentLogger: AnyObject {
    /// The experiment name (`lightning_logs`).
    var name: String { get }
    /// The version directory name (`version_0`); a logger picks the next free one on first use.
    var version: String { get }
    /// The directory this run's files go in, or `nil` for a logger without files.
    var logDir: String? { get }
    /// Adopts the version another process chose, so every rank agrees on one directory.
    func adoptVersion(_ version: String)
    /// Records the hyperparameters.
    func logHyperparams(_ hyperparameters: Hyperparameters) throws
    /// Records metric values at a step.
    func logMetrics(_ metrics: [String: Double], step: Int) throws
    /// Writes buffered records.
    func save() throws
    /// Writes everything at the end of a run (`status`: `success`, `failed`, `interrupted`).
    func finalize(status: String) throws
}

extension ExperimentLogger {
    /// Nothing to adopt.
    public func adoptVersion(_ version: String) {}
    /// Nothing buffered.
    public func save() throws {}
    /// Saves.
    public func finalize(status: String) throws { try save() }
}

/// Finds the next free `version_N` under `root` (one more than the largest present).
func nextVersionName(in root: String) -> String {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    let used = entries.compactMap { $0.hasPrefix("version_") ? Int($0.dropFirst("version_".count)) : nil }
    return "version_\((used.max() ?? -1) + 1)"
}
