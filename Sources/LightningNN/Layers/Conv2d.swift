/// A 2-D convolution over `[N, C, H, W]` (or one unbatched `[C, H, W]`), PyTorch's `nn.Conv2d`.
public final class Conv2d: Module {
    /// The kernels, `[outChannels, inChannels / groups, kh, kw]`, initialized U(−b, b) with
    /// b = 1/√(inChannels / groups · kh · kw).
    public let weight: Parameter
    /// The bias, `[outChannels]`, same distribution as the weight; `nil` when created without one.
    public let bias: Parameter?
    /// The number of input channels.
    public let inChannels: Int
    /// The number of output channels.
    public let outChannels: Int
    /// The kernel's height and width.
    public let kernelSize: (Int, Int)
    /// The step between windows, vertically and horizontally.
    public let stride: (Int, Int)
    /// The zeros added on each side, vertically and horizontally.
    public let padding: (Int, Int)
    /// The spacing between kernel elements.
    public let dilation: (Int, Int)
    /// The number of blocked connections from input to output channels.
    public let groups: Int

    /// A convolution with per-axis sizes, with PyTorch's default initialization drawn from
    /// `generator` (weight first, then bias).
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1,
                bias: Bool = true, generator: Generator = .default) {
        ConvolutionChecks.validate("Conv2d", inChannels: inChannels, outChannels: outChannels, groups: groups,
                                   kernel: [kernelSize.0, kernelSize.1], stride: [stride.0, stride.1],
                                   padding: [padding.0, padding.1], dilation: [dilation.0, dilation.1])
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let fanIn = inChannels / groups * kernelSize.0 * kernelSize.1
        weight = Parameter(LayerSupport.defaultUniform([outChannels, inChannels / groups, kernelSize.0, kernelSize.1],
                                                       fanIn: fanIn, generator: generator))
        self.bias = bias ? Parameter(LayerSupport.defaultUniform([outChannels], fanIn: fanIn, generator: generator)) : nil
    }

    /// A convolution with square kernel, stride, padding and dilation.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1,
                            padding: Int = 0, dilation: Int = 1, groups: Int = 1,
                            bias: Bool = true, generator: Generator = .default) {
        self.init(inChannels, outChannels, kernelSize: (kernelSize, kernelSize), stride: (stride, stride),
                  padding: (padding, padding), dilation: (dilation, dilation), groups: groups,
                  bias: bias, generator: generator)
    }

    /// The cross-correlation of `input` with the kernels, plus the bias.
    public override func forward(_ input: Tensor) -> Tensor {
        LayerSupport.batched(input, unbatchedRank: 3) {
            conv2d($0, weight: weight.value, bias: bias?.value, stride: stride, padding: padding,
                   dilation: dilation, groups: groups)
        }
    }

    /// PyTorch's print-out: channels, kernel and stride always; the rest only when not default.
    public override var extraDescription: String {
        ConvolutionChecks.description(inChannels: inChannels, outChannels: outChannels,
                                      kernel: [kernelSize.0, kernelSize.1], stride: [stride.0, stride.1],
                                      padding: [padding.0, padding.1], dilation: [dilation.0, dilation.1],
                                      groups: groups, hasBias: bias != nil)
    }
}
