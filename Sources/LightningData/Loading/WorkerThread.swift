#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A joinable POSIX thread running one closure.
///
/// Foundation's `Thread` cannot be joined; the loader joins its worker when iteration stops so
/// no batch is still being assembled (and no dataset read) after the loop has moved on.
final class WorkerThread {
    /// Worker threads started and not yet finished, process-wide (tests check shutdown with it).
    static let live = Atomic<Int>(0)

    private var thread: pthread_t?

    /// Starts a thread running `body`.
    init(_ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        Self.live.add(1, ordering: .sequentiallyConsistent)
        #if canImport(Glibc)
        var tid = pthread_t()
        #else
        var tid: pthread_t?
        #endif
        let rc = pthread_create(&tid, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            WorkerThread.live.subtract(1, ordering: .sequentiallyConsistent)
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            Self.live.subtract(1, ordering: .sequentiallyConsistent)
            tensorFailure("DataLoader", "could not start a prefetch thread (pthread_create returned \(rc))")
        }
        thread = tid
    }

    /// Waits for the thread to finish; later calls return at once.
    func join() {
        guard let t = thread else { return }
        thread = nil
        pthread_join(t, nil)
    }

    deinit { join() }

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
