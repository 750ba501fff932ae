#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// How many calls of a scoped mode (``noGrad(_:)``, ``inferenceMode(_:)``,
/// ``withAnomalyDetection(_:_:)``) the current thread is inside. The depth is stored in a
/// thread-local key's pointer value itself: one `pthread_getspecific` to read, no allocation,
/// nothing to free when a thread ends. Every mode registers its key, so code can run as on a
/// new thread (``withNewThreadModes(_:)``) whatever modes exist.
struct ThreadNesting: Sendable {
    private let key: pthread_key_t

    /// Every mode's key, in creation order.
    private static let registered = Mutex<[pthread_key_t]>([])

    /// A new thread-local key; `owner` names the mode in the failure message.
    init(_ owner: String) {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key, nil)
        if rc != 0 { usageFailure("\(owner): pthread_key_create failed (\(rc))") }
        self.key = key
        Self.registered.withLock { $0.append(key) }
    }

    /// Runs `body` with every mode at depth 0, as a thread starts, then restores the caller's.
    static func withEveryModeOff<R>(_ body: () throws -> R) rethrows -> R {
        let keys = registered.withLock { $0 }
        let saved = keys.map { pthread_getspecific($0) }
        for key in keys { pthread_setspecific(key, nil) }
        defer { for (key, value) in zip(keys, saved) { pthread_setspecific(key, value) } }
        return try body()
    }

    /// The current thread's depth.
    var depth: Int {
        @inline(__always) get { Int(bitPattern: pthread_getspecific(key)) }
        nonmutating set { pthread_setspecific(key, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// Runs `body` one level deeper on the current thread.
    @inline(__always)
    func inside<R>(_ body: () throws -> R) rethrows -> R {
        let outer = depth
        depth = outer + 1
        defer { depth = outer }
        return try body()
    }
}
