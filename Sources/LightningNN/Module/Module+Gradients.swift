extension Module {
    /// The flat gradient buffer, once ``flattenGradients()`` has run on this module.
    public var gradientBuffer: Tensor? { gradientLayout?.buffer }

    /// Moves every trainable parameter's gradient into one contiguous float32 buffer and returns it
    /// (frozen parameters, `requiresGrad == false`, are left out).
    ///
    /// Each parameter's `grad` becomes a view into the buffer (existing gradients are copied in),
    /// so backward writes straight into it and data parallelism can all-reduce it in place.
    /// Call it once the model is built, on the root module, before making the optimizer's first
    /// step (the Trainer does this at setup). It is explicit rather than lazy so that building or
    /// inspecting a sub-module never re-homes gradients; calling it again is cheap when the
    /// parameters are unchanged, and re-packs them when modules were added or replaced.
    ///
    /// - Parameter storage: where the buffer lives (at least 4 bytes per trainable element), e.g.
    ///   memory other processes can reduce in place; by default, or when it is too small, a new block.
    @discardableResult
    public func flattenGradients(storage requested: TensorStorage? = nil) -> Tensor {
        // Frozen parameters get no gradient, so they get no slot: data parallelism never reduces them.
        let params = parameters().filter(\.requiresGrad)
        let total = params.reduce(0) { $0 + $1.count }
        // One buffer on the parameters' device; memory offered on another device is not used.
        let device = params.first?.value.device ?? .cpu
        for p in params where p.value.device != device {
            usageFailure("flattenGradients: parameters on \(device) and \(p.value.device); move the module with to(_:) first")
        }
        let wanted = requested.flatMap { $0.byteCount >= total * DType.float32.byteSize && $0.device == device ? $0 : nil }
        if let layout = gradientLayout, layout.entries.count == params.count, wanted == nil || wanted === layout.buffer.storage,
           zip(layout.entries, params).allSatisfy({ $0.parameter === $1 && $1.gradientSlot?.storage === layout.buffer.storage }) {
            return layout.buffer
        }
        let storage = wanted ?? Tensor.zeros([total], device: device).storage
        let buffer = Tensor(storage: storage, shape: [total], dtype: .float32)
        var entries: [GradientBufferLayout.Entry] = []
        entries.reserveCapacity(params.count)
        var offset = 0
        for p in params {
            p.attachGradientSlot(Tensor(storage: storage, shape: p.shape, dtype: .float32, offset: offset))
            entries.append(.init(parameter: p, offset: offset, count: p.count))
            offset += p.count
        }
        gradientLayout = GradientBufferLayout(buffer: buffer, entries: entries)
        return buffer
    }

    /// Clears every parameter's gradient: marked absent (`setToNone`, PyTorch's default, free with a
    /// flat buffer) or overwritten with zeros.
    public func zeroGrad(setToNone: Bool = true) {
        for p in parameters() {
            if setToNone {
                p.value.clearGradient()
            } else if let grad = p.grad {
                grad.fill(0)
            }
        }
    }

    /// Gives every parameter without a gradient a zero one (in its buffer slot when it has one).
    ///
    /// Data parallelism calls this before reducing the flat buffer, so parameters unused in this
    /// step contribute zeros instead of stale slot contents.
    public func fillMissingGradientsWithZeros() {
        for p in parameters() where p.grad == nil {
            if let slot = p.gradientSlot {
                slot.fill(0)
                p.grad = slot
            } else {
                p.grad = Tensor.zeros(p.shape)
            }
        }
    }
}
