/// An n-dimensional array of `float32` or `int64` values that can record operations for
/// reverse-mode automatic differentiation.
///
/// `Tensor` is a struct over a reference-counted ``TensorStorage``: copies share the storage,
/// and no public operation mutates it (results are new tensors), so it behaves as a value.
/// The exceptions are the explicitly named in-place APIs used by optimizers
/// (``withUnsafeMutableBufferPointer(_:)``), which write through every view of the storage,
/// as PyTorch's in-place updates do.
///
/// A tensor is on a ``Device``, its storage's (the CPU unless moved with ``to(_:)`` or made with
/// `device:`); every operation takes its tensors on one device.
///
/// Every tensor is contiguous (row-major) from `offset` in its storage; views such as
/// `reshaped(to:)` or a slot of a flat gradient buffer share storage without copying.
public struct Tensor {
    /// The memory this tensor views.
    public let storage: TensorStorage
    /// The size of each dimension; `[]` for a scalar.
    public let shape: [Int]
    /// The element type.
    public let dtype: DType
    /// The first element's index in `storage`, in elements of `dtype`.
    public let offset: Int
    /// Autograd state; `nil` for tensors that neither require nor carry gradients.
    @usableFromInline var autograd: AutogradMeta?

    /// Wraps existing storage; `shape.product` elements from `offset` must fit.
    public init(storage: TensorStorage, shape: [Int], dtype: DType = .float32, offset: Int = 0) {
        let count = shape.reduce(1, *)
        usagePrecondition(offset >= 0 && (offset + count) * dtype.byteSize <= storage.byteCount,
                     "Tensor: shape \(shape) at offset \(offset) does not fit a storage of \(storage.byteCount) bytes")
        self.storage = storage
        self.shape = shape
        self.dtype = dtype
        self.offset = offset
        self.autograd = nil
    }

    /// A new tensor of `shape` whose contents are undefined (every element must be written).
    public init(uninitializedShape shape: [Int], dtype: DType = .float32) {
        for d in shape where d < 0 { tensorFailure("Tensor", "negative dimension in shape \(shape)") }
        let count = shape.reduce(1, *)
        self.storage = TensorStorage(byteCount: count * dtype.byteSize)
        self.shape = shape
        self.dtype = dtype
        self.offset = 0
        self.autograd = nil
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// The number of dimensions.
    public var rank: Int { shape.count }
    /// Whether this is a zero-dimensional tensor.
    public var isScalar: Bool { shape.isEmpty }

    /// The size of dimension `dim` (negative counts from the end).
    public func size(_ dim: Int) -> Int { shape[normalizedDim(dim, op: "size")] }

    /// A typed pointer to the first float element (for kernels in the package; no dtype check).
    package var floats: UnsafeMutablePointer<Float> {
        requireHost()
        return storage.base.assumingMemoryBound(to: Float.self) + offset
    }
    /// A typed pointer to the first int64 element (for kernels in the package; no dtype check).
    package var int64s: UnsafeMutablePointer<Int64> {
        requireHost()
        return storage.base.assumingMemoryBound(to: Int64.self) + offset
    }
    /// The address of the first element, any dtype (for byte copies in the package).
    package var elementBase: UnsafeMutableRawPointer {
        requireHost()
        return storage.base + offset * dtype.byteSize
    }

    /// Calls `body` with the float32 elements, read-only.
    ///
    /// A GPU tensor's elements are copied to the host first.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        requireDType(.float32, op: "withUnsafeBufferPointer")
        if !device.isCPU { return try hostCopy().withUnsafeBufferPointer(body) }
        return try body(UnsafeBufferPointer(start: floats, count: count))
    }

    /// Calls `body` with the float32 elements for writing in place.
    ///
    /// Writes are seen by every tensor sharing this storage (parameters updated by an optimizer,
    /// gradient views into a flat buffer). Never use it on a tensor saved by the autograd graph.
    public func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        requireDType(.float32, op: "withUnsafeMutableBufferPointer")
        return try body(UnsafeMutableBufferPointer(start: floats, count: count))
    }

    /// Calls `body` with the int64 elements, read-only (a GPU tensor's copied to the host first).
    public func withUnsafeInt64BufferPointer<R>(_ body: (UnsafeBufferPointer<Int64>) throws -> R) rethrows -> R {
        requireDType(.int64, op: "withUnsafeInt64BufferPointer")
        if !device.isCPU { return try hostCopy().withUnsafeInt64BufferPointer(body) }
        return try body(UnsafeBufferPointer(start: int64s, count: count))
    }

    /// Calls `body` with the int64 elements for writing in place.
    public func withUnsafeMutableInt64BufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Int64>) throws -> R) rethrows -> R {
        requireDType(.int64, op: "withUnsafeMutableInt64BufferPointer")
        return try body(UnsafeMutableBufferPointer(start: int64s, count: count))
    }

    /// Calls `body` with the raw bytes of the elements (any dtype), read-only (a GPU tensor's
    /// copied to the host first: checkpoints of a GPU model are written from host memory).
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        if !device.isCPU { return try hostCopy().withUnsafeBytes(body) }
        return try body(UnsafeRawBufferPointer(start: elementBase, count: count * dtype.byteSize))
    }

    /// Whether two tensors view the same elements of the same storage.
    public func sharesElements(with other: Tensor) -> Bool {
        storage === other.storage && offset == other.offset && dtype == other.dtype
    }
}

extension Tensor {
    /// Stops with `op: message` when the tensor's dtype is not `expected`.
    func requireDType(_ expected: DType, op: String) {
        if dtype != expected {
            tensorFailure(op, "expected a \(expected) tensor, got \(dtype) with shape \(shape)")
        }
    }

    /// Maps a possibly negative dimension into `0..<rank`, or stops naming the op.
    func normalizedDim(_ dim: Int, op: String) -> Int {
        let r = Swift.max(rank, 1)
        let d = dim < 0 ? dim + r : dim
        if d < 0 || d >= r {
            tensorFailure(op, "dimension \(dim) is out of range for a tensor of shape \(shape) (expected -\(r)...\(r - 1))")
        }
        return d
    }
}
