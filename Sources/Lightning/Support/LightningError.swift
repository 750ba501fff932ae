/// Why a Trainer run, a logged metric, a callback or a checkpoint was rejected; each message
/// names the module, hook, key or file involved.
public enum LightningError: Error, Equatable, CustomStringConvertible {
    /// A step the run needs is not implemented by the module.
    case stepNotImplemented(module: String, step: String)
    /// A `log` call that cannot be honoured (wrong hook, non-scalar value, no batch size).
    case invalidLog(key: String, hook: String, reason: String)
    /// A Trainer argument or run setting that cannot work.
    case misconfiguration(String)
    /// A monitored metric that was never logged.
    case missingMetric(key: String, by: String, available: [String])
    /// A checkpoint that cannot be read or does not fit this run.
    case checkpoint(path: String, reason: String)
    /// A training step produced a non-finite loss or gradient.
    case nonFinite(String)
    /// SIGTERM or SIGUSR1 stopped `fit` after saving a checkpoint to resume from.
    case interrupted(signal: String, checkpoint: String)

    /// The message naming the problem.
    public var description: String {
        switch self {
        case let .stepNotImplemented(module, step):
            return "\(module) does not implement \(step)(_:batchIndex:), which this run needs"
                + (step == "validationStep" ? " (it was given validation data; pass none to train without validation)" : "")
        case let .invalidLog(key, hook, reason):
            return "log(\"\(key)\") in \(hook): \(reason)"
        case let .misconfiguration(message):
            return message
        case let .missingMetric(key, by, available):
            let list = available.isEmpty ? "none" : available.sorted().joined(separator: ", ")
            return "\(by) monitors '\(key)', which was not logged; available metrics: \(list)"
        case let .checkpoint(path, reason):
            return "checkpoint \(path): \(reason)"
        case let .nonFinite(message):
            return message
        case let .interrupted(signal, checkpoint):
            return "\(signal) stopped training; a checkpoint was saved to \(checkpoint) (resume with ckptPath: \"last\")"
        }
    }
}
