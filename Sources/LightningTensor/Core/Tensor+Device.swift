import LightningCUDA

/// Devices: where a tensor is, moving it, and the rule that an op's tensors share one device.
extension Tensor {
    /// Where the elements live (PyTorch's `tensor.device`).
    public var device: Device { storage.device }

    /// This tensor on `device`: itself when it is there already, else a copy (PyTorch's `to`).
    /// Gradients flow back to the original device. Stops with what is missing when `device` is a
    /// GPU this process cannot use.
    public func to(_ device: Device) -> Tensor {
        let source = self.device
        if device == source { return self }
        let op = "to(\(device))"
        let out = Tensor(uninitializedShape: shape, dtype: dtype, device: device, op: op)
        DeviceTransfer.copy(from: self, to: out, op: op)
        return Tensor.recorded("to", out, inputs: [self]) { g in [g.to(source)] }
    }

    /// This tensor with `other`'s device and dtype (PyTorch's `x.to(other)`): code that makes a
    /// new tensor beside an input follows it wherever the input is.
    public func to(like other: Tensor) -> Tensor {
        guard dtype != other.dtype else { return to(other.device) }
        // dtype conversion runs on the host; the move follows it.
        return (device.isCPU ? self : to(.cpu)).converted(to: other.dtype).to(other.device)
    }

    /// A new tensor of `shape` on `device` whose contents are undefined.
    public init(uninitializedShape shape: [Int], dtype: DType = .float32, device: Device) {
        self.init(uninitializedShape: shape, dtype: dtype, device: device, op: "Tensor(device: \(device))")
    }

    /// ``init(uninitializedShape:dtype:device:)`` naming `op` in its failures.
    init(uninitializedShape shape: [Int], dtype: DType, device: Device, op: String) {
        guard case .cuda(let ordinal) = device else {
            self.init(uninitializedShape: shape, dtype: dtype)
            return
        }
        for d in shape where d < 0 { tensorFailure("Tensor", "negative dimension in shape \(shape)") }
        let storage = DeviceTransfer.storage(on: ordinal, byteCount: shape.reduce(1, *) * dtype.byteSize, op: op)
        self.init(storage: storage, shape: shape, dtype: dtype)
    }

    /// Stops naming `op` and both devices unless `self` and `other` are on one device.
    @inline(__always)
    package func requireSameDevice(_ other: Tensor, op: String) {
        if storage.device != other.storage.device { mixedDeviceFailure(other, op: op) }
    }

    @inline(never)
    func mixedDeviceFailure(_ other: Tensor, op: String) -> Never {
        tensorFailure(op, "expected all tensors on one device, got \(device) (shape \(shapeText(shape))) and \(other.device) "
                      + "(shape \(shapeText(other.shape))); move one with .to(_:), or .to(like:) to follow the other")
    }

    /// Stops unless the elements are in host memory: every CPU kernel reads through this.
    @inline(__always)
    func requireHost() {
        if case .cuda = storage.device { hostAccessFailure() }
    }

    @inline(never)
    func hostAccessFailure() -> Never {
        tensorFailure("\(device)", "a tensor of shape \(shapeText(shape)) on \(device) reached an operation that runs on the CPU only; "
                      + "move it with .to(.cpu), or train with accelerator cpu")
    }
}

/// Copies between host and GPU memory, and GPU storage, through ``CUDARuntime``.
enum DeviceTransfer {
    /// The runtime, checked to have GPU `ordinal`; stops with what is missing otherwise.
    static func runtime(for ordinal: Int, op: String) -> (CUDARuntime, CachingDeviceAllocator) {
        let runtime = CUDARuntime.shared
        do {
            return (runtime, try runtime.allocator(for: ordinal))
        } catch {
            tensorFailure(op, "cannot use cuda:\(ordinal): \(error)")
        }
    }

    /// `byteCount` bytes on GPU `ordinal`.
    static func storage(on ordinal: Int, byteCount: Int, op: String) -> TensorStorage {
        let (_, allocator) = runtime(for: ordinal, op: op)
        do {
            return try TensorStorage(cudaDevice: ordinal, byteCount: byteCount, allocator: allocator)
        } catch {
            tensorFailure(op, "cannot allocate \(byteCount) bytes on cuda:\(ordinal): \(error)")
        }
    }

    /// Sets every byte of `tensor`'s elements to zero, on its device.
    static func zero(_ tensor: Tensor) {
        let bytes = tensor.count * tensor.dtype.byteSize
        guard case .cuda(let ordinal) = tensor.device else {
            tensor.elementBase.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            return
        }
        let (runtime, _) = runtime(for: ordinal, op: "zeros")
        do {
            try runtime.driver!.zero(tensor.storage.devicePointer.advanced(by: tensor.offset * tensor.dtype.byteSize), byteCount: bytes, on: ordinal)
        } catch {
            tensorFailure("zeros", "setting \(bytes) bytes on \(tensor.device) to zero failed: \(error)")
        }
    }

    /// Copies `source`'s elements into `destination` (same count and dtype), on any devices.
    static func copy(from source: Tensor, to destination: Tensor, op: String) {
        usagePrecondition(source.count == destination.count && source.dtype == destination.dtype,
                          "\(op): \(shapeText(source.shape)) \(source.dtype) into \(shapeText(destination.shape)) \(destination.dtype)")
        let bytes = source.count * source.dtype.byteSize
        let sourceOffset = source.offset * source.dtype.byteSize, destinationOffset = destination.offset * destination.dtype.byteSize
        do {
            switch (source.device, destination.device) {
            case (.cpu, .cpu):
                (destination.storage.base + destinationOffset).copyMemory(from: source.storage.base + sourceOffset, byteCount: bytes)
            case (.cpu, .cuda(let ordinal)):
                let (runtime, _) = runtime(for: ordinal, op: op)
                try runtime.driver!.copy(toDevice: destination.storage.devicePointer.advanced(by: destinationOffset),
                                         from: source.storage.base + sourceOffset, byteCount: bytes, on: ordinal)
            case (.cuda(let ordinal), .cpu):
                let (runtime, _) = runtime(for: ordinal, op: op)
                try runtime.driver!.copy(toHost: destination.storage.base + destinationOffset,
                                         from: source.storage.devicePointer.advanced(by: sourceOffset), byteCount: bytes, on: ordinal)
            case (.cuda(let from), .cuda(let to)) where from == to:
                let (runtime, _) = runtime(for: from, op: op)
                try runtime.driver!.copy(onDevice: destination.storage.devicePointer.advanced(by: destinationOffset),
                                         from: source.storage.devicePointer.advanced(by: sourceOffset), byteCount: bytes, on: from)
            case (.cuda, .cuda):
                // Between two GPUs through host memory: rare (a model is moved once), so no peer access.
                let staging = Tensor(uninitializedShape: source.shape, dtype: source.dtype)
                copy(from: source, to: staging, op: op)
                copy(from: staging, to: destination, op: op)
            }
        } catch {
            tensorFailure(op, "copying \(bytes) bytes from \(source.device) to \(destination.device) failed: \(error)")
        }
    }
}
