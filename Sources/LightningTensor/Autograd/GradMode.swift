/// Whether operations record the autograd graph.
public enum GradMode {
    nonisolated(unsafe) static var disabledDepth = 0

    /// True unless inside ``noGrad(_:)``.
    public static var isEnabled: Bool { disabledDepth == 0 }
}

/// Runs `body` without recording any autograd graph (evaluation, prediction, optimizer updates).
@discardableResult
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    GradMode.disabledDepth += 1
    defer { GradMode.disabledDepth -= 1 }
    return try body()
}
