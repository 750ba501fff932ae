import LightningTensor
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Ends the job when one collective blocks longer than a timeout, naming the collective.
///
/// A blocked collective usually means another rank stopped answering (a hang in user code, a
/// deadlock, a lost node); without this every rank would wait forever. The per-call cost is a
/// clock read and two atomic stores: one background thread polls the "collective in flight" slot,
/// so nothing is armed, allocated or locked per call.
// Unchecked: its mutable state is the atomics below; the polling thread is started once, in `init`.
package final class CollectiveWatchdog: @unchecked Sendable {
    /// When the collective in flight began (monotonic ns, never 0); 0 while none is.
    private let startedAt = Atomic<UInt64>(0)
    /// The collective in flight, a packed ``CollectiveDescriptor``.
    private let current = Atomic<UInt64>(0)
    /// The timeout in ns; 0 disables the watchdog.
    private let timeoutNanos: Atomic<UInt64>
    /// Called once, on the watchdog thread, with the message; expected to end the process.
    private let onTimeout: @Sendable (String) -> Void

    /// Starts the watchdog thread; `onTimeout` receives `collective allReduce(…) timed out after T s`.
    package init(timeout: Duration?, onTimeout: @escaping @Sendable (String) -> Void) {
        self.timeoutNanos = Atomic(Self.nanoseconds(timeout))
        self.onTimeout = onTimeout
        startThread()
    }

    /// How long a collective may block; `nil` disables the watchdog.
    package var timeout: Duration? {
        get {
            let ns = timeoutNanos.load(ordering: .relaxed)
            return ns == 0 ? nil : .nanoseconds(Int64(ns))
        }
        set { timeoutNanos.store(Self.nanoseconds(newValue), ordering: .relaxed) }
    }

    /// Marks `collective` as in flight from now.
    @inline(__always)
    package func begin(_ collective: CollectiveDescriptor) {
        current.store(collective.packed, ordering: .relaxed)
        // Releasing: the watchdog that sees this start also sees the descriptor stored above.
        startedAt.store(MonotonicClock.nanoseconds(), ordering: .releasing)
    }

    /// Marks the collective in flight as finished.
    @inline(__always)
    package func end() {
        startedAt.store(0, ordering: .relaxed)
    }

    /// The collective that has been in flight past the timeout at `now`, if any.
    func overdueCollective(now: UInt64) -> CollectiveDescriptor? {
        let limit = timeoutNanos.load(ordering: .relaxed)
        let start = startedAt.load(ordering: .acquiring)
        guard limit != 0, start != 0, now > start, now - start > limit else { return nil }
        let descriptor = current.load(ordering: .relaxed)
        // A collective that ended (and maybe another began) while reading is not overdue.
        guard startedAt.load(ordering: .acquiring) == start else { return nil }
        return CollectiveDescriptor(packed: descriptor)
    }

    /// Polls at a tenth of the timeout (10 ms to 1 s), so detection lags the timeout by at most that.
    private func watch() {
        while true {
            let limit = timeoutNanos.load(ordering: .relaxed)
            let interval = limit == 0 ? 1_000_000_000 : Swift.min(Swift.max(limit / 10, 10_000_000), 1_000_000_000)
            var pause = timespec(tv_sec: Int(interval / 1_000_000_000), tv_nsec: Int(interval % 1_000_000_000))
            nanosleep(&pause, nil)
            if let overdue = overdueCollective(now: MonotonicClock.nanoseconds()) {
                onTimeout("collective \(overdue) timed out after \(Self.secondsText(limit)) s")
                return
            }
        }
    }

    private func startThread() {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<CollectiveWatchdog>.fromOpaque(raw!).takeRetainedValue().watch()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<CollectiveWatchdog>.fromOpaque(context).release()
            StandardError.write(line: "LightningDistributed: could not start the collective watchdog (pthread_create returned \(rc)); hangs will not be detected")
            return
        }
        pthread_detach(thread)
    }

    private static func nanoseconds(_ duration: Duration?) -> UInt64 {
        guard let duration, duration > .zero else { return 0 }
        let (seconds, attoseconds) = duration.components
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// `2`, `0.5`, `300`: seconds as a person writes them.
    static func secondsText(_ nanoseconds: UInt64) -> String {
        let seconds = Double(nanoseconds) / 1e9
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
