/// A fully connected layer `y = x·Wᵀ + b` on inputs `[*, inFeatures]`, PyTorch's `nn.Linear`.
public final class Linear: Module {
    /// The weight, `[outFeatures, inFeatures]`, initialized U(−1/√inFeatures, 1/√inFeatures).
    public let weight: Parameter
    /// The bias, `[outFeatures]`, same distribution as the weight; `nil` when created without one.
    public let bias: Parameter?
    /// The size of each input sample.
    public let inFeatures: Int
    /// The size of each output sample.
    public let outFeatures: Int

    /// A layer mapping `inFeatures` to `outFeatures`, with PyTorch's default initialization drawn
    /// from `generator` (weight first, then bias).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: Generator = .default) {
        usagePrecondition(inFeatures >= 0 && outFeatures >= 0, "Linear: feature counts must be >= 0, got \(inFeatures) and \(outFeatures)")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(LayerSupport.defaultUniform([outFeatures, inFeatures], fanIn: inFeatures, generator: generator))
        self.bias = bias ? Parameter(LayerSupport.defaultUniform([outFeatures], fanIn: inFeatures, generator: generator)) : nil
    }

    /// `input · weightᵀ + bias` over the last dimension.
    public override func forward(_ input: Tensor) -> Tensor {
        linear(input, weight: weight.value, bias: bias?.value)
    }

    /// `in_features=…, out_features=…, bias=…`, as PyTorch prints it.
    public override var extraDescription: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(LayerSupport.python(bias != nil))"
    }
}
