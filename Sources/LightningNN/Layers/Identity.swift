/// Returns its input unchanged; a placeholder where an architecture has an optional layer.
/// PyTorch's `nn.Identity`.
public final class Identity: Module {
    /// The identity layer.
    public override init() { super.init() }

    /// `input`, unchanged.
    public override func forward(_ input: Tensor) -> Tensor { input }
}
