#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `background` on a new thread while `foreground` runs on this one, and returns once both
/// are done (on this thread alone if no thread can be started).
///
/// The writer checksums tensors this way while it writes them: the two together take little
/// longer than writing alone wherever a second core is free. A POSIX thread rather than Swift
/// concurrency, because the writer is synchronous and the work is a bounded, joined loop.
package func concurrently<R>(_ background: () -> Void, while foreground: () throws -> R) rethrows -> R {
    try withoutActuallyEscaping(background) { background in
        let context = Unmanaged.passRetained(ThreadBody(background)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context) == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            background()
            return try foreground()
        }
        // Joined before `background` goes out of scope, even when `foreground` throws.
        defer { pthread_join(thread, nil) }
        return try foreground()
    }
}

/// The closure a thread runs. `@unchecked Sendable`: `concurrently` joins the thread before the
/// closure or anything it captures can be used again, so nothing is shared unsynchronised.
private final class ThreadBody: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}
