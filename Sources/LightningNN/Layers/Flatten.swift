/// Collapses dimensions `startDim...endDim` into one (by default all but the batch dimension),
/// PyTorch's `nn.Flatten`.
public final class Flatten: Module {
    /// The first dimension collapsed (negative counts from the end).
    public let startDim: Int
    /// The last dimension collapsed (negative counts from the end).
    public let endDim: Int

    /// Flattening of dimensions `startDim...endDim`.
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }

    /// `input` reshaped with dimensions `startDim...endDim` merged.
    public override func forward(_ input: Tensor) -> Tensor {
        input.flattened(startDim: startDim, endDim: endDim)
    }

    /// `start_dim=1, end_dim=-1`, as PyTorch prints it.
    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}
