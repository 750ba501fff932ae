/// Zeroes each element with probability `p` during training and scales the rest by 1/(1−p);
/// the identity in evaluation mode. PyTorch's `nn.Dropout`.
public final class Dropout: Module {
    /// The probability of zeroing an element.
    public let p: Float
    /// Where the masks are drawn from, so a seeded run drops the same elements.
    public let generator: Generator

    /// Dropout with probability `p` (in [0, 1]), drawing masks from `generator`.
    public init(_ p: Float = 0.5, generator: Generator = .default) {
        if !(p >= 0 && p <= 1) { tensorFailure("Dropout", "dropout probability has to be between 0 and 1, but got \(p)") }
        self.p = p
        self.generator = generator
    }

    /// `input` with a fresh random mask in training mode; `input` itself in evaluation mode.
    public override func forward(_ input: Tensor) -> Tensor {
        dropout(input, p: p, training: isTraining, generator: generator)
    }

    /// `p=0.5, inplace=False`, as PyTorch prints it.
    public override var extraDescription: String { "p=\(LayerSupport.python(p)), inplace=False" }
}
