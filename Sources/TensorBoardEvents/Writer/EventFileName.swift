#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Event file names as TensorBoard and PyTorch make them:
/// `events.out.tfevents.<unix seconds, 10 digits>.<hostname>.<pid>.<n><suffix>`.
///
/// TensorBoard finds event files by the `tfevents` in the name; `n` counts the files this
/// process has named, so two writers started in the same second do not collide.
enum EventFileName {
    private static let filesNamed = Mutex(0)

    /// The name for a file created at `unixTime` by this host and process, taking the next `n`.
    static func next(unixTime: Double, suffix: String) -> String {
        let index = filesNamed.withLock { count in
            defer { count += 1 }
            return count
        }
        return make(unixTime: unixTime, hostname: hostname(), processID: Int(getpid()), index: index, suffix: suffix)
    }

    /// The name for the given parts.
    static func make(unixTime: Double, hostname: String, processID: Int, index: Int, suffix: String) -> String {
        let seconds = String(Int(unixTime))
        let padded = String(repeating: "0", count: max(0, 10 - seconds.count)) + seconds
        return "events.out.tfevents.\(padded).\(hostname).\(processID).\(index)\(suffix)"
    }

    /// This machine's name, as Python's `socket.gethostname()` gives it.
    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
