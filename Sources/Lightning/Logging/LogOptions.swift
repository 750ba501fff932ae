import LightningDistributed
import Synchronization
/// How a logged value combines into its epoch value (Lightning's `reduce_fx`).
public enum MetricReduction: String, Codable, Sendable {
    /// The batch-size-weighted mean (Lightning's default).
    case mean
    /// The sum.
    case sum
    /// The largest value.
    case max
    /// The smallest value.
    case min

    /// How ranks combine their partial epoch values: a mean is kept as a weighted total and a
    /// weight, both summed across ranks and divided once, so `mean` reduces with `sum`.
    var collectiveOp: ReduceOp {
        switch self {
        case .mean, .sum: return .sum
        case .max: return .max
        case .min: return .min
        }
    }
}

/// The options of one `log` call, before the hook's defaults fill them in.
struct LogOptions {
    var onStep: Bool?
    var onEpoch: Bool?
    var progressBar: Bool
    var logger: Bool
    var reduce: MetricReduction
    var syncDist: Bool?
    var addDataloaderIdx: Bool = true
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
