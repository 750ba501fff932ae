extension Tensor {
    /// Whether gradients flow to this tensor. Setting it on a leaf makes it a trainable leaf.
    public var requiresGrad: Bool {
        get { autograd?.requiresGrad ?? false }
        set {
            if let meta = autograd {
                if meta.gradFn != nil && !newValue {
                    tensorFailure("requiresGrad", "cannot turn off requiresGrad on a non-leaf tensor of shape \(shapeText(shape)); use detached()")
                }
                meta.requiresGrad = newValue
            } else if newValue {
                if dtype != .float32 {
                    tensorFailure("requiresGrad", "only float32 tensors can require gradients, got \(dtype)")
                }
                autograd = AutogradMeta(requiresGrad: true, gradFn: nil)
            }
        }
    }

    /// Returns this tensor with `requiresGrad` set, for chaining (`Tensor.randn([3]).requiringGrad()`).
    public func requiringGrad(_ flag: Bool = true) -> Tensor {
        var copy = self
        copy.requiresGrad = flag
        return copy
    }

    /// The accumulated gradient of a leaf after `backward()`, or `nil`.
    public var grad: Tensor? {
        get {
            guard let meta = autograd else { return nil }
            if let slot = meta.gradSlot { return meta.gradSlotValid ? slot : nil }
            return meta.grad
        }
        nonmutating set {
            guard let meta = autograd else {
                if newValue != nil { tensorFailure("grad", "set requiresGrad before assigning a gradient") }
                return
            }
            if let value = newValue, value.shape != shape {
                tensorFailure("grad", "gradient shape \(shapeText(value.shape)) does not match tensor shape \(shapeText(shape))")
            }
            if let slot = meta.gradSlot {
                if let value = newValue {
                    if !value.sharesElements(with: slot) { Kernels.copy(from: value, to: slot) }
                    meta.gradSlotValid = true
                } else {
                    meta.gradSlotValid = false
                }
            } else {
                meta.grad = newValue
            }
        }
    }

    /// Whether this tensor is a leaf (not produced by a recorded operation).
    public var isLeaf: Bool { autograd?.gradFn == nil }

    /// The node that produced this tensor, if it was recorded.
    public var gradFn: Node? { autograd?.gradFn }

    /// This tensor without autograd history, sharing storage.
    public func detached() -> Tensor {
        var copy = self
        copy.autograd = nil
        return copy
    }

    /// Makes this leaf's gradient live in `slot` (a view into a flat gradient buffer), so data
    /// parallelism can reduce all gradients in place. The slot starts out empty (`grad == nil`).
    public func assignGradientSlot(_ slot: Tensor) {
        guard let meta = autograd, meta.gradFn == nil else {
            tensorFailure("assignGradientSlot", "only leaves that require grad have gradient slots")
        }
        if slot.shape != shape || slot.dtype != .float32 {
            tensorFailure("assignGradientSlot", "slot shape \(shapeText(slot.shape)) does not match tensor shape \(shapeText(shape))")
        }
        if let old = meta.grad ?? (meta.gradSlotValid ? meta.gradSlot : nil) {
            Kernels.copy(from: old, to: slot)
            meta.gradSlotValid = true
        } else {
            meta.gradSlotValid = false
        }
        meta.grad = nil
        meta.gradSlot = slot
    }

    /// Marks this leaf's gradient as absent (PyTorch's `zero_grad(set_to_none=True)`); a slot
    /// keeps its memory and the next backward overwrites it.
    public func clearGradient() {
        guard let meta = autograd else { return }
        meta.grad = nil
        meta.gradSlotValid = false
    }

    /// Computes gradients of this tensor with respect to every leaf that requires grad.
    ///
    /// With no argument the tensor must be a scalar (the gradient is 1); otherwise `gradient`
    /// has this tensor's shape. Gradients accumulate into leaves' `grad`; the graph's saved
    /// tensors are released as it is traversed. Under ``withAnomalyDetection(_:_:)`` a NaN or
    /// infinite gradient stops the process with the ``AnomalyError``'s message (use
    /// ``checkedBackward(_:)`` to catch it).
    public func backward(_ gradient: Tensor? = nil) {
        if let anomaly = propagate(gradient) { tensorFailure("backward", "\(anomaly)") }
    }

    /// ``backward(_:)`` that throws the ``AnomalyError`` a backward pass under
    /// ``withAnomalyDetection(_:_:)`` finds, instead of stopping the process; the pass stops
    /// there, leaving the leaves' gradients incomplete. Without anomaly detection it never throws.
    public func checkedBackward(_ gradient: Tensor? = nil) throws {
        if let anomaly = propagate(gradient) { throw anomaly }
    }

    /// Runs the backward pass from this tensor; returns the anomaly that stopped it, if any.
    private func propagate(_ gradient: Tensor?) -> AnomalyError? {
        guard let meta = autograd, meta.requiresGrad else {
            tensorFailure("backward", "tensor of shape \(shapeText(shape)) does not require grad and has no grad_fn")
        }
        let seed: Tensor
        if let gradient {
            if gradient.shape != shape {
                tensorFailure("backward", "gradient shape \(shapeText(gradient.shape)) does not match output shape \(shapeText(shape))")
            }
            requireSameDevice(gradient, op: "backward")
            seed = gradient.detached()
        } else {
            if count != 1 {
                tensorFailure("backward", "grad can be implicitly created only for scalar outputs, got shape \(shapeText(shape))")
            }
            seed = Tensor.ones(shape, device: device)
        }
        guard let root = meta.gradFn else {
            meta.accumulate(seed)
            return nil
        }
        if !root.isAlive {
            tensorFailure("backward", "the graph behind this tensor was already freed by an earlier backward()")
        }
        return BackwardEngine.run(root: root, seed: seed)
    }
}

/// Records operations: results of ops whose inputs require grad get a node with the rule.
extension Tensor {
    /// Returns `output` with a recorded node when grad mode is on and any input requires grad.
    @inline(__always)
    static func recorded(_ op: String, _ output: Tensor, inputs: [Tensor],
                         rule: @escaping (Tensor, GradientDestinations) -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled else { return output }
        var any = false
        for input in inputs where input.requiresGrad { any = true; break }
        guard any else { return output }
        return attach(op, output, inputs: inputs, rule: rule)
    }

    /// Like ``recorded(_:_:inputs:rule:)`` for rules that never write into destinations.
    @inline(__always)
    static func recorded(_ op: String, _ output: Tensor, inputs: [Tensor],
                         rule: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        recorded(op, output, inputs: inputs) { g, _ in rule(g) }
    }

    static func attach(_ op: String, _ output: Tensor, inputs: [Tensor],
                       rule: @escaping (Tensor, GradientDestinations) -> [Tensor?]) -> Tensor {
        var edges: [Edge] = []
        edges.reserveCapacity(inputs.count)
        for input in inputs {
            guard let meta = input.autograd, meta.requiresGrad else { edges.append(.none); continue }
            if let fn = meta.gradFn { edges.append(.node(fn)) } else { edges.append(.leaf(meta)) }
        }
        let node = Node(op: op, edges: edges, rule: rule)
        if AnomalyMode.isEnabled { node.inputShapes = inputs.map(\.shape) }
        var result = output
        result.autograd = AutogradMeta(requiresGrad: true, gradFn: node)
        return result
    }
}
