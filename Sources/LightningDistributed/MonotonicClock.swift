#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the coarse monotonic clock: a few nanoseconds to read (vDSO, no system call,
/// whatever the clock source), at tick resolution (1-4 ms), plenty for timeouts of seconds.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot); never 0.
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec) | 1
    }
}
