/// Whether backward passes check every gradient for NaN and infinity, per thread (PyTorch's
/// `torch.autograd.set_detect_anomaly`).
///
/// Inside ``withAnomalyDetection(_:_:)`` each recorded operation keeps its input shapes, and each
/// backward pass checks the gradients every derivative rule returns; the first NaN or infinity
/// stops the pass with an ``AnomalyError`` naming the operation. Outside it, recording reads the
/// flag once per recorded node and backward once per pass: nothing else is done.
public enum AnomalyMode {
    /// The current thread's enabled ``withAnomalyDetection(_:_:)`` nesting.
    static let nesting = ThreadNesting("AnomalyMode")

    /// True inside ``withAnomalyDetection(_:_:)`` on the current thread.
    public static var isEnabled: Bool { nesting.depth > 0 }
}

/// Runs `body` with anomaly detection on the calling thread when `enabled` (Lightning's
/// `Trainer(detect_anomaly=True)` around a run).
///
/// Backward passes inside throw from ``Tensor/checkedBackward(_:)``, or stop the process from
/// ``Tensor/backward(_:)``, at the first derivative rule that returns a NaN or an infinity.
@discardableResult
public func withAnomalyDetection<R>(_ enabled: Bool = true, _ body: () throws -> R) rethrows -> R {
    guard enabled else { return try body() }
    return try AnomalyMode.nesting.inside(body)
}
