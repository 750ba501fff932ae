import LightningTensor

extension OpCase {
    /// Our operation for the case's op name and keyword arguments applied to `x`; `nil` for an op
    /// this mapping does not know.
    public func apply(_ x: [Tensor]) -> Tensor? {
        let p = params
        func int(_ k: String) -> Int? { p[k]?.int }
        func float(_ k: String) -> Float? { p[k]?.float }
        func ints(_ k: String) -> [Int]? { p[k]?.ints }
        func flag(_ k: String) -> Bool? { p[k]?.bool }
        let reduction = LossReduction(rawValue: p["reduction"]?.string ?? "mean")!
        switch op {
        case "add": return x[0] + x[1]
        case "sub": return x[0] - x[1]
        case "mul": return x[0] * x[1]
        case "div": return x[0] / x[1]
        case "matmul": return x[0].matmul(x[1])
        case "neg": return -x[0]
        case "exp": return x[0].exp()
        case "log": return x[0].log()
        case "sqrt": return x[0].sqrt()
        case "pow": return x[0].pow(float("exponent")!)
        case "abs": return x[0].abs()
        case "tanh": return x[0].tanh()
        case "sigmoid": return x[0].sigmoid()
        case "relu": return x[0].relu()
        case "leaky_relu": return x[0].leakyRelu(negativeSlope: float("negative_slope")!)
        case "gelu": return x[0].gelu(approximate: p["approximate"]?.string == "tanh")
        case "silu": return x[0].silu()
        case "softplus": return x[0].softplus()
        case "elu": return x[0].elu(alpha: float("alpha")!)
        case "clamp": return x[0].clamped(min: float("min"), max: float("max"))
        case "sum":
            guard let d = int("dim") else { return x[0].sum() }
            return x[0].sum(dim: d, keepDim: flag("keepdim") ?? false)
        case "mean":
            guard let d = int("dim") else { return x[0].mean() }
            return x[0].mean(dim: d, keepDim: flag("keepdim") ?? false)
        case "max": return x[0].max(dim: int("dim")!, keepDim: flag("keepdim") ?? false)
        case "var": return x[0].variance(dim: int("dim")!, unbiased: flag("unbiased") ?? true)
        case "logsumexp": return x[0].logsumexp(dim: int("dim")!)
        case "softmax": return x[0].softmax(dim: int("dim")!)
        case "log_softmax": return x[0].logSoftmax(dim: int("dim")!)
        case "transpose": return x[0].transposed(int("dim0")!, int("dim1")!)
        case "permute": return x[0].permuted(ints("dims")!)
        case "reshape": return x[0].reshaped(to: ints("shape")!)
        case "flatten": return x[0].flattened(startDim: int("start_dim") ?? 0, endDim: int("end_dim") ?? -1)
        case "cat": return Tensor.cat(x, dim: int("dim")!)
        case "stack": return Tensor.stack(x, dim: int("dim")!)
        case "slice": return x[0].sliced(dim: int("dim")!, start: int("start")!, end: int("end")!)
        case "index_select": return x[0].indexSelect(dim: int("dim")!, indices: x[1])
        case "linear": return linear(x[0], weight: x[1], bias: x.count > 2 ? x[2] : nil)
        case "conv2d":
            return conv2d(x[0], weight: x[1], bias: x.count > 2 ? x[2] : nil, stride: int("stride")!,
                          padding: int("padding")!, dilation: int("dilation")!, groups: int("groups")!)
        case "conv1d":
            return conv1d(x[0], weight: x[1], bias: x.count > 2 ? x[2] : nil, stride: int("stride")!,
                          padding: int("padding")!, dilation: int("dilation")!, groups: int("groups")!)
        case "max_pool2d": return maxPool2d(x[0], kernelSize: int("kernel_size")!, stride: int("stride"), padding: int("padding")!)
        case "avg_pool2d": return avgPool2d(x[0], kernelSize: int("kernel_size")!, stride: int("stride"), padding: int("padding")!)
        case "adaptive_avg_pool2d":
            let size = ints("output_size")!
            return adaptiveAvgPool2d(x[0], outputSize: (size[0], size[1]))
        case "batch_norm":
            let c = x[0].shape[1]
            return batchNorm(x[0], runningMean: Tensor.zeros([c]), runningVar: Tensor.ones([c]), weight: x[1], bias: x[2],
                             training: true, momentum: float("momentum")!, eps: float("eps")!)
        case "layer_norm": return layerNorm(x[0], normalizedShape: ints("normalized_shape")!, weight: x[1], bias: x[2], eps: float("eps")!)
        case "embedding": return embedding(x[0], weight: x[1])
        case "cross_entropy":
            return crossEntropy(logits: x[0], targets: x[1], ignoreIndex: int("ignore_index") ?? -100,
                                labelSmoothing: float("label_smoothing") ?? 0, reduction: reduction)
        case "nll_loss": return nllLoss(logProbs: x[0], targets: x[1], reduction: reduction)
        case "mse_loss": return mseLoss(x[0], x[1], reduction: reduction)
        case "l1_loss": return l1Loss(x[0], x[1], reduction: reduction)
        case "smooth_l1_loss": return smoothL1Loss(x[0], x[1], beta: float("beta") ?? 1, reduction: reduction)
        case "binary_cross_entropy_with_logits": return binaryCrossEntropyWithLogits(x[0], x[1], reduction: reduction)
        case "binary_cross_entropy": return binaryCrossEntropy(x[0], x[1], reduction: reduction)
        default:
            return nil
        }
    }
}
