/// A trainable tensor owned by a module.
///
/// A reference type, so the module, its optimizer and a data-parallel strategy all see the same
/// parameter: optimizers update `value` in place (its storage), `loadStateDict` copies into it,
/// and its gradient may live in a model's flat gradient buffer.
public final class Parameter {
    /// The tensor, a leaf that requires grad unless the parameter is frozen.
    public private(set) var value: Tensor

    /// This parameter's view into a module's flat gradient buffer, once `flattenGradients()` ran.
    public internal(set) var gradientSlot: Tensor?

    /// Wraps `value` (float32) as a trainable leaf.
    public init(_ value: Tensor) {
        usagePrecondition(value.dtype == .float32, "Parameter: parameters must be float32, got \(value.dtype)")
        self.value = value.detached().requiringGrad()
    }

    /// Whether backward computes this parameter's gradient; `false` freezes it (fine-tuning):
    /// operations stop recording it, so it gets no gradient and optimizers skip it.
    public var requiresGrad: Bool {
        get { value.requiresGrad }
        set {
            value.requiresGrad = newValue
            if !newValue { value.clearGradient() }
        }
    }

    /// Sets ``requiresGrad`` and keeps the gradient accumulated so far (PyTorch's
    /// `requires_grad_`): for a parameter switched off only while another optimizer's loss is
    /// computed, whose own accumulated gradient must survive (Lightning's `toggle_optimizer`).
    public func setRequiresGrad(_ flag: Bool, keepingGradient: Bool) {
        guard keepingGradient else {
            requiresGrad = flag
            return
        }
        value.requiresGrad = flag
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
    ///
    /// A gradient slot in the flat buffer carries over to the new tensor, so the buffer still
    /// covers every parameter.
    public func replace(with tensor: Tensor) {
        usagePrecondition(tensor.shape == value.shape, "Parameter.replace: shape \(tensor.shape) does not match \(value.shape)")
        let trainable = value.requiresGrad
        value = tensor.detached().requiringGrad()
        if let slot = gradientSlot { value.assignGradientSlot(slot) }
        value.requiresGrad = trainable
    }

    /// Moves the tensor (and any gradient) to `device`, leaving the flat buffer: the module
    /// re-packs its gradients on the new device (``Module/to(_:)``).
    func move(to device: Device) {
        let trainable = value.requiresGrad
        let gradient = value.grad
        gradientSlot = nil
        value = value.detached().to(device).requiringGrad()
        if let gradient { value.grad = gradient.detached().to(device) }
        value.requiresGrad = trainable
    }

    /// Points this parameter's gradient at `slot` (a view into a flat buffer), keeping any current gradient.
    func attachGradientSlot(_ slot: Tensor) {
        value.assignGradientSlot(slot)
        gradientSlot = slot
    }
}
