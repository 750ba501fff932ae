/// Times the actions of a run (Lightning's `Profiler`): each hook, fetching a batch, the step,
/// backward, the gradient averaging, the optimizer step, metric reduction and checkpoint saves.
///
/// The Trainer calls ``start(_:)`` and ``stop(_:)`` around each action and reports
/// ``actions()`` when a stage ends: a table on rank 0's standard output and in ``reportFile``
/// under the log directory, and under several processes a second table naming, for each action,
/// the fastest and the slowest rank.
public protocol Profiler: AnyObject {
    /// Marks the start of `action`.
    func start(_ action: String)
    /// Marks the end of `action`, started last by ``start(_:)``.
    func stop(_ action: String)
    /// Adds one call of `action` that lasted `seconds`, measured elsewhere (the time a rank waited
    /// in the gradient averaging's barriers).
    func record(_ action: String, seconds: Double)
    /// Forgets every action: a stage starts.
    func reset()
    /// Every action so far, with its calls and total time.
    func actions() -> [ProfiledAction]
    /// The seconds since the last ``reset()``: the stage's duration, which shares are taken of.
    func elapsed() -> Double
    /// The report's file name in the log directory (`nil`: none written).
    var reportFile: String? { get }
    /// Whether rank 0 prints the report when a stage ends.
    var printsReport: Bool { get }
    /// Runs `body` as `action` (default: ``start(_:)``, `body`, ``stop(_:)``; a profiler may time
    /// it more cheaply).
    func measure<R>(_ action: String, _ body: () throws -> R) rethrows -> R
}

extension Profiler {
    /// `start`, `body`, `stop`.
    public func measure<R>(_ action: String, _ body: () throws -> R) rethrows -> R {
        start(action)
        defer { stop(action) }
        return try body()
    }
}

/// One profiled action: how often it ran and for how long in all.
public struct ProfiledAction: Sendable, Equatable {
    /// The action's name, as Lightning's SimpleProfiler spells it (`run_training_batch`,
    /// `[Callback]ModelCheckpoint.on_train_epoch_end`, `[Strategy]DataParallelStrategy.backward`).
    public var name: String
    /// The number of calls.
    public var count: Int
    /// The seconds of every call together.
    public var total: Double

    /// An action record.
    public init(name: String, count: Int, total: Double) {
        self.name = name
        self.count = count
        self.total = total
    }

    /// The mean seconds per call.
    public var mean: Double { count > 0 ? total / Double(count) : 0 }
}

/// The `profiler` argument of a ``Trainer``: a name (`"simple"`) or a profiler.
public enum ProfilerSetting: ExpressibleByStringLiteral {
    /// A profiler by Lightning's name: `"simple"` is ``SimpleProfiler``.
    case named(String)
    /// This profiler.
    case custom(any Profiler)

    /// `"simple"`.
    public init(stringLiteral value: String) { self = .named(value) }

    /// A profiler value.
    public static func profiler(_ profiler: any Profiler) -> ProfilerSetting { .custom(profiler) }

    /// The names the Trainer accepts.
    public static let names = ["simple"]

    /// The profiler this setting names, or a description of the problem.
    func resolve() -> Result<any Profiler, ProfilerNameError> {
        switch self {
        case .custom(let profiler): return .success(profiler)
        case .named(let name):
            switch name.lowercased() {
            case "simple": return .success(SimpleProfiler())
            default: return .failure(ProfilerNameError(name: name))
            }
        }
    }
}

/// A profiler named by a ``ProfilerSetting`` the Trainer does not know.
struct ProfilerNameError: Error, CustomStringConvertible {
    let name: String
    var description: String { "profiler '\(name)' is not available; use \(ProfilerSetting.names.map { "'\($0)'" }.joined(separator: ", ")) or a Profiler value" }
}
