/// A 1-D convolution over `[N, C, L]` (or one unbatched `[C, L]`), PyTorch's `nn.Conv1d`.
public final class Conv1d: Module {
    /// The kernels, `[outChannels, inChannels / groups, kernelSize]`, initialized U(−b, b) with
    /// b = 1/√(inChannels / groups · kernelSize).
    public let weight: Parameter
    /// The bias, `[outChannels]`, same distribution as the weight; `nil` when created without one.
    public let bias: Parameter?
    /// The number of input channels.
    public let inChannels: Int
    /// The number of output channels.
    public let outChannels: Int
    /// The kernel's length.
    public let kernelSize: Int
    /// The step between windows.
    public let stride: Int
    /// The zeros added on each side.
    public let padding: Int
    /// The spacing between kernel elements.
    public let dilation: Int
    /// The number of blocked connections from input to output channels.
    public let groups: Int

    /// A convolution with PyTorch's default initialization drawn from `generator` (weight, then bias).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator = .default) {
        ConvolutionChecks.validate("Conv1d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                   kernel: [kernelSize], stride: [stride], padding: [padding], dilation: [dilation])
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let fanIn = inChannels / groups * kernelSize
        weight = Parameter(LayerSupport.defaultUniform([outChannels, inChannels / groups, kernelSize],
                                                       fanIn: fanIn, generator: generator))
        self.bias = bias ? Parameter(LayerSupport.defaultUniform([outChannels], fanIn: fanIn, generator: generator)) : nil
    }

    /// The cross-correlation of `input` with the kernels, plus the bias.
    public override func forward(_ input: Tensor) -> Tensor {
        LayerSupport.batched(input, unbatchedRank: 2) {
            conv1d($0, weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
                   dilation: dilation, groups: groups)
        }
    }

    /// PyTorch's print-out, with 1-tuples: `Conv1d(2, 4, kernel_size=(3,), stride=(1,))`.
    public override var extraDescription: String {
        ConvolutionChecks.description(inChannels: inChannels, outChannels: outChannels, kernel: [kernelSize],
                                      stride: [stride], padding: [padding], dilation: [dilation],
                                      groups: groups, hasBias: bias != nil)
    }
}
