/// A named, non-trainable tensor owned by a module (BatchNorm's `running_mean`, `running_var`,
/// `num_batches_tracked`).
///
/// A reference type like ``Parameter``: `loadStateDict` copies into the existing storage and a
/// data-parallel strategy broadcasts it in place, so whoever holds the buffer sees the new values.
public final class Buffer {
    /// The tensor (float32 or int64); never carries autograd history.
    public var value: Tensor {
        didSet {
            // Running statistics are computed from graph outputs; keep no graph alive through them.
            if value.requiresGrad { value = value.detached() }
        }
    }

    /// Whether the buffer is part of the state dict (PyTorch's `persistent=`).
    public let persistent: Bool

    /// Wraps `value` as a buffer; non-persistent buffers are left out of `stateDict()`.
    public init(_ value: Tensor, persistent: Bool = true) {
        self.value = value.detached()
        self.persistent = persistent
    }

    /// The buffer's shape.
    public var shape: [Int] { value.shape }

    /// The element type.
    public var dtype: DType { value.dtype }

    /// The number of elements.
    public var count: Int { value.count }
}
