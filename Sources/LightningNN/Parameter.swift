@_exported import LightningTensor

/// A trainable tensor owned by a module.
///
/// A reference type, so the module, its optimizer and a data-parallel strategy all see the same
/// parameter: optimizers update `value` in place (its storage), `loadStateDict` copies into it,
/// and its gradient may live in a model's flat gradient buffer.
public final class Parameter {
    /// The tensor; it always requires grad.
    public private(set) var value: Tensor

    /// Wraps `value` (float32) as a trainable leaf.
    public init(_ value: Tensor) {
        precondition(value.dtype == .float32, "Parameter: parameters must be float32, got \(value.dtype)")
        self.value = value.detached().requiringGrad()
    }

    /// The parameter's shape.
    public var shape: [Int] { value.shape }

    /// The number of elements.
    public var count: Int { value.count }

    /// The gradient accumulated by `backward()`, or `nil` after `zeroGrad`.
    public var grad: Tensor? {
        get { value.grad }
        set { value.grad = newValue }
    }

    /// Replaces the tensor (new storage); prefer in-place updates so optimizers stay attached.
    public func replace(with tensor: Tensor) {
        precondition(tensor.shape == value.shape, "Parameter.replace: shape \(tensor.shape) does not match \(value.shape)")
        value = tensor.detached().requiringGrad()
    }
}
