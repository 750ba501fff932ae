/// A derivative rule returned a NaN or an infinity during a backward pass under
/// ``withAnomalyDetection(_:_:)`` (PyTorch's "Function 'LogBackward0' returned nan values").
public struct AnomalyError: Error, CustomStringConvertible {
    /// The operation whose derivative produced the value (`log`, `matmul`, `batch_norm`, …).
    public let op: String
    /// The shapes of the operation's inputs, in order; `nil` for an input whose shape the graph
    /// did not keep (recorded outside anomaly detection, and given no gradient).
    public let inputShapes: [[Int]?]
    /// The input whose gradient holds the value.
    public let inputIndex: Int
    /// The first non-finite value in that gradient: NaN, +∞ or −∞.
    public let value: Float
    /// The value's flat (row-major) index in that gradient.
    public let elementIndex: Int

    /// `op`, its inputs and where the value was found, in one line.
    public var description: String {
        let shapes = inputShapes.map { $0.map(shapeText) ?? "?" }.joined(separator: ", ")
        let kind = value.isNaN ? "NaN" : (value > 0 ? "inf" : "-inf")
        return "anomaly detected: the derivative of '\(op)' (inputs \(shapes)) returned \(kind) "
            + "in the gradient of input \(inputIndex) at element \(elementIndex) "
            + "(typical causes: log or sqrt of a negative number, 0 × inf, a division by zero, an overflow)"
    }

    /// The first non-finite element among `grads` (the gradients `node`'s rule returned), if any.
    static func first(in grads: [Tensor?], of node: Node) -> AnomalyError? {
        for (input, grad) in grads.enumerated() {
            guard let grad, grad.dtype == .float32 else { continue }
            let found: (Int, Float)? = grad.withUnsafeBufferPointer { values in
                for (i, v) in values.enumerated() where !v.isFinite { return (i, v) }
                return nil
            }
            guard let (index, value) = found else { continue }
            let shapes: [[Int]?] = node.inputShapes.map { $0.map(Optional.some) } ?? grads.map { $0?.shape }
            return AnomalyError(op: node.op, inputShapes: shapes, inputIndex: input, value: value, elementIndex: index)
        }
        return nil
    }
}
