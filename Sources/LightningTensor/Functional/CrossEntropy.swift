import LightningCUDA
#if canImport(Glibc)
import Glibc
#endif

/// Cross entropy between `logits` `[N, C]` and int64 class `targets` `[N]`, PyTorch's
/// `cross_entropy`, fused with a stable log-softmax.
///
/// - `weight` `[C]` rescales each class; `ignoreIndex` targets contribute nothing (and are not
///   counted by the mean); `labelSmoothing` ε mixes the target with the uniform distribution.
public func crossEntropy(logits: Tensor, targets: Tensor, weight: Tensor? = nil,
                         ignoreIndex: Int = -100, labelSmoothing: Float = 0,
                         reduction: LossReduction = .mean) -> Tensor {
    logits.requireDType(.float32, op: "cross_entropy")
    let logits2 = logits2D(logits, op: "cross_entropy")
    let logProbs: Tensor
    if case .cuda = logits.device { logProbs = CUDAKernels.softmax(logits2, dim: 1, logarithm: true) } else { logProbs = Kernels.logSoftmax(logits2, dim: 1) }
    return classificationLoss("cross_entropy", input: logits, logProbs: logProbs, targets: targets, weight: weight,
                              ignoreIndex: ignoreIndex, labelSmoothing: labelSmoothing, reduction: reduction,
                              fromLogits: true)
}

/// Negative log-likelihood of int64 `targets` `[N]` under log-probabilities `[N, C]`.
public func nllLoss(logProbs: Tensor, targets: Tensor, weight: Tensor? = nil,
                    ignoreIndex: Int = -100, reduction: LossReduction = .mean) -> Tensor {
    logProbs.requireDType(.float32, op: "nll_loss")
    let lp = logits2D(logProbs, op: "nll_loss")
    return classificationLoss("nll_loss", input: logProbs, logProbs: lp, targets: targets, weight: weight,
                              ignoreIndex: ignoreIndex, labelSmoothing: 0, reduction: reduction, fromLogits: false)
}

private func logits2D(_ t: Tensor, op: String) -> Tensor {
    if t.rank == 2 { return t }
    if t.rank == 1 { return t.detached().reshaped(to: [1, t.shape[0]]) }
    tensorFailure(op, "expected input [N, C] (or [C]), got \(shapeText(t.shape))")
}

/// The shared forward and backward of cross entropy and NLL.
private func classificationLoss(_ op: String, input: Tensor, logProbs: Tensor, targets: Tensor, weight: Tensor?,
                                ignoreIndex: Int, labelSmoothing: Float, reduction: LossReduction,
                                fromLogits: Bool) -> Tensor {
    let n = logProbs.shape[0], c = logProbs.shape[1]
    input.requireSameDevice(targets, op: op)
    if let weight { input.requireSameDevice(weight, op: op) }
    if targets.dtype != .int64 {
        tensorFailure(op, "targets must be int64 class indices, got \(targets.dtype) with shape \(shapeText(targets.shape)); "
                      + "use Tensor(labels:) for class indices")
    }
    if targets.count != n || (input.rank == 2 && targets.shape != [n]) {
        tensorFailure(op, "input \(shapeText(input.shape)) needs targets [\(n)], got \(shapeText(targets.shape))")
    }
    if let weight, weight.shape != [c] { tensorFailure(op, "weight has shape \(shapeText(weight.shape)), expected [\(c)]") }
    if labelSmoothing < 0 || labelSmoothing > 1 { tensorFailure(op, "label smoothing must be in [0, 1], got \(labelSmoothing)") }
    if case .cuda = input.device {
        return cudaClassificationLoss(op, input: input, logProbs: logProbs, targets: targets, weight: weight, ignoreIndex: ignoreIndex,
                                      labelSmoothing: labelSmoothing, reduction: reduction, fromLogits: fromLogits)
    }
    let tp = targets.int64s, lp = logProbs.floats, wp = weight?.floats
    for i in 0..<n where Int(tp[i]) != ignoreIndex && (tp[i] < 0 || tp[i] >= c) {
        tensorFailure(op, "target \(tp[i]) at position \(i) is out of range for \(c) classes")
    }
    let eps = labelSmoothing
    // Per-sample loss and the weight of its target (the mean's denominator).
    let perSample = Tensor(uninitializedShape: [n])
    let sp = perSample.floats
    var weightSum: Float = 0
    for i in 0..<n {
        let t = Int(tp[i])
        if t == ignoreIndex { sp[i] = 0; continue }
        let row = lp + i * c
        let wt = wp?[t] ?? 1
        weightSum += wt
        var loss = -(1 - eps) * wt * row[t]
        if eps > 0 {
            var smooth: Float = 0
            for j in 0..<c { smooth -= (wp?[j] ?? 1) * row[j] }
            loss += eps / Float(c) * smooth
        }
        sp[i] = loss
    }
    let out: Tensor
    switch reduction {
    case .none: out = input.rank == 1 ? perSample.reshaped(to: []) : perSample
    case .sum, .mean:
        var total: Float = 0
        for i in 0..<n { total += sp[i] }
        out = Tensor(reduction == .mean ? total / weightSum : total)
    }
    let saved = logProbs, labels = targets, w = weight?.detached(), inputShape = input.shape
    return Tensor.recorded(op, out, inputs: [input]) { g in
        let grad = Tensor.zeros([n, c])
        let dp = grad.floats, lp = saved.floats, tp = labels.int64s, wp = w?.floats, gp = g.floats
        for i in 0..<n {
            let t = Int(tp[i])
            if t == ignoreIndex { continue }
            let scale: Float
            switch reduction {
            case .none: scale = gp[i]
            case .sum: scale = gp[0]
            case .mean: scale = gp[0] / weightSum
            }
            let row = lp + i * c, d = dp + i * c
            let wt = wp?[t] ?? 1
            // loss_i = −Σ_j a_j · logp_j, with a_t = (1−ε)w_t + ε/C·w_t and a_j = ε/C·w_j.
            var total: Float = 0
            for j in 0..<c {
                var a = eps > 0 ? eps / Float(c) * (wp?[j] ?? 1) : 0
                if j == t { a += (1 - eps) * wt }
                d[j] = -a * scale
                total += a
            }
            if fromLogits {
                // Through log-softmax: d/dz_j = −a_j + p_j · Σ a.
                for j in 0..<c { d[j] += expf(row[j]) * total * scale }
            }
        }
        return [grad.reshaped(to: inputShape)]
    }
}

/// ``classificationLoss`` on a GPU: per-sample losses and target weights from one kernel, reduced
/// in a fixed order; the gradient from the saved log-probabilities.
private func cudaClassificationLoss(_ op: String, input: Tensor, logProbs: Tensor, targets: Tensor, weight: Tensor?,
                                    ignoreIndex: Int, labelSmoothing: Float, reduction: LossReduction, fromLogits: Bool) -> Tensor {
    let (perSample, targetWeight) = CUDAKernels.nllForward(logProbs, targets: targets, weight: weight, ignoreIndex: ignoreIndex,
                                                           smoothing: labelSmoothing, op: op)
    var weightSum: Tensor?
    let out: Tensor
    let code: Int32
    switch reduction {
    case .none:
        out = input.rank == 1 ? perSample.reshaped(to: []) : perSample
        code = 0
    case .sum:
        out = CUDAKernels.reduceAll(.sum, perSample, name: op)
        code = 1
    case .mean:
        let total = CUDAKernels.reduceAll(.sum, perSample, name: op)
        weightSum = CUDAKernels.reduceAll(.sum, targetWeight, name: op)
        out = CUDAKernels.binary(.div, total, weightSum!, name: op)
        code = 2
    }
    let saved = logProbs, labels = targets, w = weight?.detached(), inputShape = input.shape, denominator = weightSum
    return Tensor.recorded(op, out, inputs: [input]) { g in
        [CUDAKernels.nllBackward(saved, targets: labels, weight: w, g: g, weightSum: denominator, ignoreIndex: ignoreIndex,
                                 smoothing: labelSmoothing, reduction: code, fromLogits: fromLogits, op: op).reshaped(to: inputShape)]
    }
}
