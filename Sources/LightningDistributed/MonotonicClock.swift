#if canImport(Glibc)
import Glibc
#endif

/// Nanoseconds on the monotonic clock: a vDSO call, no system call, no allocation.
enum MonotonicClock {
    /// Nanoseconds since an arbitrary fixed point (boot); never 0.
    static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec) | 1
    }
}
