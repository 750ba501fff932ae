#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A joinable POSIX thread running one closure, at a lower scheduling priority than the thread
/// that started it.
///
/// Foundation's `Thread` cannot be joined; the loader joins its worker when iteration stops so
/// no batch is still being assembled (and no dataset read) after the loop has moved on.
///
/// The training step is the critical path and the workers fill the CPU time it leaves. At equal
/// priority the scheduler shares the cores fairly among all runnable threads, so 2 busy workers
/// and the training thread on 2 cores give the step 2/3 of a core (a 1.5× slower step however
/// far ahead the batches are); a worker's niceness `niceIncrement` above its starter's makes it
/// take what the step does not use. While the training thread waits for a batch, the workers
/// have the cores to themselves, so they are never starved of idle time.
final class WorkerThread {
    /// Worker threads started and not yet finished, process-wide (tests check shutdown with it).
    static let live = Atomic<Int>(0)
    /// How much nicer than its starter a worker runs (Linux's niceness is per thread; the
    /// kernel caps it at 19).
    static let niceIncrement: Int32 = 19

    private var thread: pthread_t?

    /// Starts a thread running `body`.
    init(_ body: @escaping () -> Void) {
        let niceness = Self.currentNiceness() + Self.niceIncrement
        let box = Unmanaged.passRetained(Box {
            // Raising one's own niceness needs no privilege; failing only keeps the priority.
            // Linux applies `PRIO_PROCESS` with id 0 to the calling thread alone.
            _ = setpriority(Self.byProcess, 0, min(niceness, 19))
            body()
        }).toOpaque()
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

    /// `PRIO_PROCESS`, as the C library's `setpriority` takes it.
    private static let byProcess = __priority_which_t(PRIO_PROCESS.rawValue)

    /// The calling thread's niceness (Linux keeps one per thread).
    static func currentNiceness() -> Int32 {
        errno = 0
        let value = getpriority(byProcess, 0)
        return errno == 0 ? value : 0
    }

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
