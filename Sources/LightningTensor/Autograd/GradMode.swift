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

    /// The thread-local key holding the current thread's ``inferenceMode(_:)`` nesting depth
    /// (read only by ``enableGrad(_:)``, never by operations).
    private static let inferenceKey: pthread_key_t = {
        var key = pthread_key_t()
        let rc = pthread_key_create(&key, nil)
        if rc != 0 { usageFailure("GradMode: pthread_key_create failed (\(rc))") }
        return key
    }()

    /// How many ``inferenceMode(_:)`` calls the current thread is inside.
    static var inferenceDepth: Int {
        get { Int(bitPattern: pthread_getspecific(inferenceKey)) }
        set { pthread_setspecific(inferenceKey, UnsafeRawPointer(bitPattern: newValue)) }
    }

    /// True while the current thread is inside ``inferenceMode(_:)``.
    public static var isInferenceMode: Bool { inferenceDepth > 0 }
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

/// Runs `body` recording the autograd graph even inside ``noGrad(_:)`` (PyTorch's
/// `torch.enable_grad()`), e.g. to take an input gradient in a validation step.
///
/// Inside ``inferenceMode(_:)`` it changes nothing: as in PyTorch, inference mode cannot be
/// left from within, so `body` still records no graph.
@discardableResult
public func enableGrad<R>(_ body: () throws -> R) rethrows -> R {
    if GradMode.isInferenceMode { return try body() }
    let depth = GradMode.disabledDepth
    GradMode.disabledDepth = 0
    defer { GradMode.disabledDepth = depth }
    return try body()
}

/// Runs `body` without recording any autograd graph, and without a way back: ``enableGrad(_:)``
/// inside it records nothing either (PyTorch's `torch.inference_mode()`; the Trainer's
/// evaluation and prediction run in it unless `inferenceMode: false`).
@discardableResult
public func inferenceMode<R>(_ body: () throws -> R) rethrows -> R {
    let depth = GradMode.inferenceDepth
    GradMode.inferenceDepth = depth + 1
    defer { GradMode.inferenceDepth = depth }
    return try noGrad(body)
}
