#if canImport(Glibc)
import Glibc
#endif

/// Records the duration of every action, and reports each one's count, mean, total and share of
/// the stage (Lightning's `SimpleProfiler`).
///
/// Actions are timed on the monotonic clock; a record is one dictionary update, so a run with
/// the profiler on spends well under 1 % of a step in it (`profiler_overhead_pct` in the bench).
public final class SimpleProfiler: Profiler {
    /// The report's file name in the log directory (`nil`: none written).
    public let reportFile: String?
    /// Whether rank 0 prints the report when a stage ends.
    public let printsReport: Bool
    /// Calls and seconds by action; a class, so a record updates in place.
    private var records: [String: Record] = [:]
    /// Actions started and not yet stopped, with their start time.
    private var running: [String: UInt64] = [:]
    private var started = SimpleProfiler.now()

    private final class Record {
        var count = 0
        var nanoseconds: UInt64 = 0
    }

    /// A simple profiler that writes `reportFile` in the log directory and prints its report.
    public init(reportFile: String? = "profile.txt", printsReport: Bool = true) {
        self.reportFile = reportFile
        self.printsReport = printsReport
    }

    /// Marks the start of `action`.
    public func start(_ action: String) {
        running[action] = Self.now()
    }

    /// Adds the time since `action` started.
    public func stop(_ action: String) {
        let end = Self.now()
        guard let begin = running.removeValue(forKey: action) else { return }
        add(action, end &- begin)
    }

    /// Times `body` as `action` with no bookkeeping of running actions: one record lookup per call.
    public func measure<R>(_ action: String, _ body: () throws -> R) rethrows -> R {
        let begin = Self.now()
        defer { add(action, Self.now() &- begin) }
        return try body()
    }

    /// Adds one call of `seconds`.
    public func record(_ action: String, seconds: Double) {
        add(action, UInt64(max(0, seconds) * 1e9))
    }

    private func add(_ action: String, _ nanoseconds: UInt64) {
        let record: Record
        if let existing = records[action] {
            record = existing
        } else {
            record = Record()
            records[action] = record
        }
        record.count += 1
        record.nanoseconds &+= nanoseconds
    }

    /// Forgets every action and restarts the stage's clock.
    public func reset() {
        records = [:]
        running = [:]
        started = Self.now()
    }

    /// Every action so far, by name.
    public func actions() -> [ProfiledAction] {
        records.map { ProfiledAction(name: $0.key, count: $0.value.count, total: Double($0.value.nanoseconds) / 1e9) }
            .sorted { $0.name < $1.name }
    }

    /// Seconds since the last reset.
    public func elapsed() -> Double { Double(Self.now() &- started) / 1e9 }

    /// Nanoseconds on the monotonic clock (vDSO: no system call).
    static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
