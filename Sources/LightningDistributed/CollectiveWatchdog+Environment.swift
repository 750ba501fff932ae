import LightningTensor
#if canImport(Glibc)
import Glibc
#endif

extension CollectiveWatchdog {
    /// The environment variable that sets the collective timeout in seconds (`0` disables it).
    static let timeoutVariable = "LIGHTNING_COLLECTIVE_TIMEOUT"
    /// Generous, so a slow first step or a large checkpoint broadcast is never mistaken for a hang.
    static let defaultTimeout = Duration.seconds(300)

    /// The timeout that `value` of ``timeoutVariable`` sets: `nil` (disabled) for `0`, the default when unset or invalid.
    static func timeout(fromVariable value: String?) -> Duration? {
        guard let value else { return defaultTimeout }
        guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
            StandardError.write(line: "LightningDistributed: ignoring \(timeoutVariable)=\(value) (expected seconds, 0 disables); using \(defaultTimeout)")
            return defaultTimeout
        }
        return seconds == 0 ? nil : .nanoseconds(Int64(seconds * 1e9))
    }
}
