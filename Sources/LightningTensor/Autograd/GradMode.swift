/// Whether operations record the autograd graph, per thread.
///
/// Like PyTorch's grad mode it is thread-local: the DataLoader's prefetch thread runs dataset
/// code while the main thread evaluates inside ``noGrad(_:)``, and neither affects the other.
/// Every operation reads it, so it is one `pthread_getspecific` (``ThreadNesting``).
public enum GradMode {
    /// The current thread's ``noGrad(_:)`` nesting.
    static let disabled = ThreadNesting("GradMode")
    /// The current thread's ``inferenceMode(_:)`` nesting (read only by ``enableGrad(_:)``,
    /// never by operations).
    static let inference = ThreadNesting("GradMode (inference)")

    /// True unless the current thread is inside ``noGrad(_:)``.
    public static var isEnabled: Bool { disabled.depth == 0 }

    /// True while the current thread is inside ``inferenceMode(_:)``.
    public static var isInferenceMode: Bool { inference.depth > 0 }
}

/// Runs `body` without recording any autograd graph (evaluation, prediction, optimizer updates).
///
/// It applies to the calling thread only; threads started inside `body` record as usual.
@discardableResult
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.disabled.inside(body)
}

/// Runs `body` recording the autograd graph even inside ``noGrad(_:)`` (PyTorch's
/// `torch.enable_grad()`), e.g. to take an input gradient in a validation step.
///
/// Inside ``inferenceMode(_:)`` it changes nothing: as in PyTorch, inference mode cannot be
/// left from within, so `body` still records no graph.
@discardableResult
public func enableGrad<R>(_ body: () throws -> R) rethrows -> R {
    if GradMode.isInferenceMode { return try body() }
    let depth = GradMode.disabled.depth
    GradMode.disabled.depth = 0
    defer { GradMode.disabled.depth = depth }
    return try body()
}

/// Runs `body` without recording any autograd graph, and without a way back: ``enableGrad(_:)``
/// inside it records nothing either (PyTorch's `torch.inference_mode()`; the Trainer's
/// evaluation and prediction run in it unless `inferenceMode: false`).
@discardableResult
public func inferenceMode<R>(_ body: () throws -> R) rethrows -> R {
    try GradMode.inference.inside { try noGrad(body) }
}

/// Runs `body` with the per-thread modes a new thread starts with (grad mode on, no inference
/// mode, no anomaly detection), then restores the caller's: the DataLoader builds samples on the
/// training thread this way when it would otherwise wait for a worker, so a transform sees the
/// same modes wherever it runs.
package func withNewThreadModes<R>(_ body: () throws -> R) rethrows -> R {
    try ThreadNesting.withEveryModeOff(body)
}
