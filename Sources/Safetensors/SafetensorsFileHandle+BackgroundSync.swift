#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension SafetensorsFileHandle {
    /// Runs `body` on this thread while another thread flushes the data written so far to the
    /// device (`fdatasync`), then waits for the flush and throws its error, if any.
    ///
    /// Writing a file is mostly waiting for the device; work that needs no more of it (the
    /// checksums, computed from the tensors in memory) runs in that wait instead of before it.
    func syncingData<R>(during body: () throws -> R) throws -> R {
        let job = BackgroundSync(descriptor: descriptor)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        guard pthread_create(&thread, nil, { context in
            let job = Unmanaged<BackgroundSync>.fromOpaque(context!).takeRetainedValue()
            job.run()
            return nil
        }, context) == 0 else {
            // No thread: the flush happens in `sync()` afterwards, as without this.
            Unmanaged<BackgroundSync>.fromOpaque(context).release()
            return try body()
        }
        let result: R
        do {
            result = try body()
        } catch {
            pthread_join(thread, nil)
            throw error
        }
        pthread_join(thread, nil)
        if let failure = job.errorNumber {
            errno = failure
            throw Self.systemError("fdatasync", path: path)
        }
        return result
    }
}

/// One `fdatasync` on another thread. Its one field is written by that thread before it ends and
/// read only after `pthread_join`, which orders the two accesses; hence `@unchecked Sendable`.
private final class BackgroundSync: @unchecked Sendable {
    let descriptor: Int32
    /// The `errno` of a failed flush; nil when it succeeded.
    var errorNumber: Int32?

    init(descriptor: Int32) { self.descriptor = descriptor }

    func run() {
        while true {
            #if canImport(Darwin)
            let status = fsync(descriptor)
            #else
            let status = fdatasync(descriptor)
            #endif
            if status == 0 { return }
            if errno != EINTR { errorNumber = errno; return }
        }
    }
}
