/// One parameter's optimizer state: its step count and named buffers (`exp_avg`, `sum`, …).
///
/// A class so an update can change it without writing back into the optimizer's dictionary.
/// ``OptimizerBase`` creates one per parameter and saves it in ``OptimizerBase/stateDict()``:
/// `step` (when `hasStep`) and every buffer, under the names a custom optimizer lists in
/// ``OptimizerBase/stateNames``.
public final class ParameterState {
    /// Steps taken for this parameter (PyTorch keeps it as a float32 tensor named `step`).
    public var step: Double = 0
    /// Whether `step` is part of this optimizer's state (SGD has no step count).
    public var hasStep = false
    /// Buffers by PyTorch's state names, each shaped like the parameter.
    public var buffers: [String: Tensor] = [:]

    /// An empty state (no step, no buffers).
    public init() {}

    /// Whether the state is still empty (nothing saved yet for this parameter).
    public var isEmpty: Bool { !hasStep && buffers.isEmpty }

    /// The buffer `name`, created filled with `initial` (shaped like `parameter`, on its device) when absent.
    @inline(__always)
    public func buffer(_ name: String, like parameter: Tensor, initial: Float = 0) -> Tensor {
        if let existing = buffers[name] { return existing }
        let created = initial == 0 ? Tensor.zeros(parameter.shape, device: parameter.device) : Tensor.full(parameter.shape, initial, device: parameter.device)
        buffers[name] = created
        return created
    }
}
