/// 2-D max pooling over `[N, C, H, W]` (or one unbatched `[C, H, W]`), PyTorch's `nn.MaxPool2d`
/// (floor mode, no dilation).
public final class MaxPool2d: Module {
    let window: PoolWindow
    /// The window's height and width.
    public var kernelSize: (Int, Int) { window.kernelSize }
    /// The step between windows (the kernel size unless given).
    public var stride: (Int, Int) { window.stride }
    /// The implicit −∞ padding on each side.
    public var padding: (Int, Int) { window.padding }

    init(window: PoolWindow) {
        self.window = window
        super.init()
    }

    /// Max pooling with per-axis sizes; `stride` defaults to `kernelSize`.
    public convenience init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.init(window: PoolWindow("MaxPool2d", kernelSize: kernelSize, stride: stride, padding: padding, square: false))
    }

    /// Max pooling with a square window; `stride` defaults to `kernelSize`.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(window: PoolWindow("MaxPool2d", square: kernelSize, stride: stride, padding: padding))
    }

    /// The maximum of each window.
    public override func forward(_ input: Tensor) -> Tensor {
        LayerSupport.batched(input, unbatchedRank: 3) { maxPool2d($0, kernelSize: kernelSize, stride: stride, padding: padding) }
    }

    /// `kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False`, as PyTorch prints it
    /// (dilation and ceil mode are not supported, so they always print their defaults).
    public override var extraDescription: String { window.description + ", dilation=1, ceil_mode=False" }
}

/// 2-D average pooling over `[N, C, H, W]` (or one unbatched `[C, H, W]`), PyTorch's
/// `nn.AvgPool2d` (floor mode, padded zeros counted in the average).
public final class AvgPool2d: Module {
    let window: PoolWindow
    /// The window's height and width.
    public var kernelSize: (Int, Int) { window.kernelSize }
    /// The step between windows (the kernel size unless given).
    public var stride: (Int, Int) { window.stride }
    /// The implicit zero padding on each side.
    public var padding: (Int, Int) { window.padding }

    init(window: PoolWindow) {
        self.window = window
        super.init()
    }

    /// Average pooling with per-axis sizes; `stride` defaults to `kernelSize`.
    public convenience init(kernelSize: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) {
        self.init(window: PoolWindow("AvgPool2d", kernelSize: kernelSize, stride: stride, padding: padding, square: false))
    }

    /// Average pooling with a square window; `stride` defaults to `kernelSize`.
    public convenience init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(window: PoolWindow("AvgPool2d", square: kernelSize, stride: stride, padding: padding))
    }

    /// The mean of each window.
    public override func forward(_ input: Tensor) -> Tensor {
        LayerSupport.batched(input, unbatchedRank: 3) { avgPool2d($0, kernelSize: kernelSize, stride: stride, padding: padding) }
    }

    /// `kernel_size=2, stride=2, padding=0`, as PyTorch prints it.
    public override var extraDescription: String { window.description }
}

/// A pooling layer's window, checked where the layer is built so a bad layer fails there.
struct PoolWindow {
    let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    /// Whether the sizes were given as single ints, which PyTorch prints as ints.
    let square: Bool

    /// A window with per-axis sizes (`stride` defaults to the kernel); stops naming `layer` unless
    /// kernel and stride are positive and padding is at most half the kernel.
    init(_ layer: String, kernelSize: (Int, Int), stride: (Int, Int)?, padding: (Int, Int), square: Bool) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.square = square
        if kernelSize.0 < 1 || kernelSize.1 < 1 { tensorFailure(layer, "kernel_size must be positive, got \(kernelSize)") }
        if self.stride.0 < 1 || self.stride.1 < 1 { tensorFailure(layer, "stride must be positive, got \(self.stride)") }
        if padding.0 < 0 || padding.1 < 0 || padding.0 * 2 > kernelSize.0 || padding.1 * 2 > kernelSize.1 {
            tensorFailure(layer, "pad should be at most half of the kernel size, got padding \(padding) for kernel \(kernelSize)")
        }
    }

    /// A square window.
    init(_ layer: String, square kernel: Int, stride: Int?, padding: Int) {
        self.init(layer, kernelSize: (kernel, kernel), stride: stride.map { ($0, $0) }, padding: (padding, padding), square: true)
    }

    /// `kernel_size=…, stride=…, padding=…` spelled as PyTorch prints the arguments it was given:
    /// ints for the int initializer, tuples for the tuple one, except an untouched padding, whose
    /// PyTorch default is the int 0.
    var description: String {
        let paddingIsInt = square || padding == (0, 0)
        return "kernel_size=\(LayerSupport.pythonSize(kernelSize, square: square)), stride=\(LayerSupport.pythonSize(stride, square: square)), "
            + "padding=\(LayerSupport.pythonSize(padding, square: paddingIsInt))"
    }
}

/// Average pooling to a fixed output size whatever the input size, PyTorch's `nn.AdaptiveAvgPool2d`.
public final class AdaptiveAvgPool2d: Module {
    /// The output's height and width.
    public let outputSize: (Int, Int)
    /// Whether the size was given as a single int, which PyTorch prints as an int.
    private let square: Bool

    /// Pooling to `outputSize.0 × outputSize.1`.
    public init(outputSize: (Int, Int)) {
        self.outputSize = outputSize
        square = false
        super.init()
        PoolingChecks.validateOutputSize(outputSize)
    }

    /// Pooling to `outputSize × outputSize` (1 gives global average pooling).
    public init(outputSize: Int) {
        self.outputSize = (outputSize, outputSize)
        square = true
        super.init()
        PoolingChecks.validateOutputSize(self.outputSize)
    }

    /// The mean over each of PyTorch's adaptive windows.
    public override func forward(_ input: Tensor) -> Tensor {
        LayerSupport.batched(input, unbatchedRank: 3) { adaptiveAvgPool2d($0, outputSize: outputSize) }
    }

    /// `output_size=1` or `output_size=(2, 3)`, as PyTorch prints it.
    public override var extraDescription: String {
        "output_size=\(LayerSupport.pythonSize(outputSize, square: square))"
    }
}

/// Checks of adaptive pooling's output size, so a bad layer fails where it is built.
enum PoolingChecks {
    /// Stops unless both output sizes are positive.
    static func validateOutputSize(_ size: (Int, Int)) {
        if size.0 < 1 || size.1 < 1 { tensorFailure("AdaptiveAvgPool2d", "output_size must be positive, got \(size)") }
    }
}
