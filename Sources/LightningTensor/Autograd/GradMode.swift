#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether operations record the autograd graph, per thread.
///
/// Like PyTorch's grad mode it is thread-local: the DataLoader's prefetch thread runs dataset
/// code while the main thread evaluates inside ``noGrad(_:)``, and neither affects the other.
/// Every operation reads it, so it is one `pthread_getspecific` (the nesting depth is stored in
/// the key's pointer value itself: no allocation, nothing to free when a thread ends).
public enum GradMode {
    /// The thread-local key holding the current thread's ``noGrad(_:)`` nesting depth.
    private static let depthKey: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key, nil)
        if rc != 0 { usageFailure("GradMode: pthread_key_create failed (\(rc))") }
        return key
    }()

    /// How many ``noGrad(_:)`` calls the current thread is inside.
    static var disabledDepth: Int {
        @inline(__always) get { Int(bitPattern: pthread_getspecific(depthKey)) }
        set { pthread_setspecific(depthKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// True unless the current thread is inside ``noGrad(_:)``.
    public static var isEnabled: Bool { disabledDepth == 0 }
}

/// Runs `body` without recording any autograd graph (evaluation, prediction, optimizer updates).
///
/// It applies to the calling thread only; threads started inside `body` record as usual.
@discardableResult
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    let depth = GradMode.disabledDepth
    GradMode.disabledDepth = depth + 1
    defer { GradMode.disabledDepth = depth }
    return try body()
}
