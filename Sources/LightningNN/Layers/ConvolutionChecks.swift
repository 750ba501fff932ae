/// Argument checks and print-out shared by ``Conv1d`` and ``Conv2d``.
enum ConvolutionChecks {
    /// Stops with PyTorch's complaint when the arguments cannot make a convolution.
    static func validate(_ layer: String, inChannels: Int, outChannels: Int, groups: Int,
                         kernel: [Int], stride: [Int], padding: [Int], dilation: [Int]) {
        if groups < 1 { tensorFailure(layer, "groups must be a positive integer, got \(groups)") }
        if inChannels < 0 || outChannels < 0 { tensorFailure(layer, "channel counts must be >= 0, got \(inChannels) and \(outChannels)") }
        if inChannels % groups != 0 { tensorFailure(layer, "in_channels (\(inChannels)) must be divisible by groups (\(groups))") }
        if outChannels % groups != 0 { tensorFailure(layer, "out_channels (\(outChannels)) must be divisible by groups (\(groups))") }
        if kernel.contains(where: { $0 < 1 }) { tensorFailure(layer, "kernel_size must be positive, got \(LayerSupport.pythonTuple(kernel))") }
        if stride.contains(where: { $0 < 1 }) { tensorFailure(layer, "stride must be positive, got \(LayerSupport.pythonTuple(stride))") }
        if padding.contains(where: { $0 < 0 }) { tensorFailure(layer, "padding must be >= 0, got \(LayerSupport.pythonTuple(padding))") }
        if dilation.contains(where: { $0 < 1 }) { tensorFailure(layer, "dilation must be positive, got \(LayerSupport.pythonTuple(dilation))") }
    }

    /// PyTorch's `_ConvNd.extra_repr`: padding, dilation, groups and `bias=False` appear only when
    /// they differ from the defaults.
    static func description(inChannels: Int, outChannels: Int, kernel: [Int], stride: [Int], padding: [Int],
                            dilation: [Int], groups: Int, hasBias: Bool) -> String {
        var text = "\(inChannels), \(outChannels), kernel_size=\(LayerSupport.pythonTuple(kernel)), stride=\(LayerSupport.pythonTuple(stride))"
        if padding.contains(where: { $0 != 0 }) { text += ", padding=\(LayerSupport.pythonTuple(padding))" }
        if dilation.contains(where: { $0 != 1 }) { text += ", dilation=\(LayerSupport.pythonTuple(dilation))" }
        if groups != 1 { text += ", groups=\(groups)" }
        if !hasBias { text += ", bias=False" }
        return text
    }
}
