/// Layer normalization over the trailing `normalizedShape` dimensions, PyTorch's `nn.LayerNorm`.
public final class LayerNorm: Module {
    /// The elementwise scale, `normalizedShape`, initialized to 1; `nil` without `elementwiseAffine`.
    public let weight: Parameter?
    /// The elementwise shift, `normalizedShape`, initialized to 0; `nil` without `elementwiseAffine` or `bias`.
    public let bias: Parameter?
    /// The trailing dimensions each sample is normalized over.
    public let normalizedShape: [Int]
    /// Added to the variance before the square root.
    public let eps: Float

    /// Normalization over trailing dimensions `normalizedShape`; `bias: false` keeps the scale only.
    public init(_ normalizedShape: [Int], eps: Float = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        if normalizedShape.isEmpty || normalizedShape.contains(where: { $0 < 1 }) {
            tensorFailure("LayerNorm", "normalized_shape must be non-empty and positive, got \(normalizedShape)")
        }
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Parameter(Tensor.ones(normalizedShape)) : nil
        self.bias = elementwiseAffine && bias ? Parameter(Tensor.zeros(normalizedShape)) : nil
    }

    /// Normalization over the last dimension, of size `normalizedShape`.
    public convenience init(_ normalizedShape: Int, eps: Float = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) {
        self.init([normalizedShape], eps: eps, elementwiseAffine: elementwiseAffine, bias: bias)
    }

    /// Whether the layer has a learnable scale (and shift unless created with `bias: false`).
    public var elementwiseAffine: Bool { weight != nil }

    /// Each sample standardized over the trailing dimensions, then scaled and shifted.
    public override func forward(_ input: Tensor) -> Tensor {
        layerNorm(input, normalizedShape: normalizedShape, weight: weight?.value, bias: bias?.value, eps: eps)
    }

    /// `(64,), eps=1e-05, elementwise_affine=True`, as PyTorch prints it.
    public override var extraDescription: String {
        "\(LayerSupport.pythonTuple(normalizedShape)), eps=\(LayerSupport.python(eps)), elementwise_affine=\(LayerSupport.python(elementwiseAffine))"
    }
}
