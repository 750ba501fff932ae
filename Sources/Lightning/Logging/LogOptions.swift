import Synchronization
/// How a logged value combines into its epoch value.
public enum Reduction: String, Codable, Sendable {
    /// The batch-size-weighted mean (Lightning's default).
    case mean
    /// The sum.
    case sum
    /// The largest value.
    case max
    /// The smallest value.
    case min
}

/// The options of one `log` call, before the hook's defaults fill them in.
struct LogOptions {
    var onStep: Bool?
    var onEpoch: Bool?
    var progressBar: Bool
    var logger: Bool
    var reduce: Reduction
    var syncDist: Bool?
    var batchSize: Int?
}

/// A value handed to `log`.
enum LoggedValue {
    case tensor(Tensor)
    case number(Double)
}

/// Prints a warning to standard error once per distinct message.
enum LogWarnings {
    private static let seen = Mutex(Set<String>())

    /// Prints `message` the first time it is seen.
    static func once(_ message: String) {
        guard seen.withLock({ $0.insert(message).inserted }) else { return }
        TrainerLog.warning(message)
    }
}
