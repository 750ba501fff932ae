/// Batch normalization over `[N, C]` or `[N, C, *]`, PyTorch's `batch_norm`.
///
/// In training mode it normalizes with the batch statistics (biased variance) and, when given,
/// updates `runningMean`/`runningVar` in place with `momentum` (running variance uses the
/// unbiased estimate). In evaluation mode it normalizes with the running statistics.
///
/// `statistics` sums the training statistics over the processes that share the batch (see
/// ``BatchStatisticsReducer``): the batch is then all of theirs, for the statistics, the running
/// statistics and the input gradient; the weight and bias gradients stay this process's.
public func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?,
                      weight: Tensor? = nil, bias: Tensor? = nil,
                      training: Bool, momentum: Float = 0.1, eps: Float = 1e-5,
                      statistics: any BatchStatisticsReducer = LocalBatchStatistics()) -> Tensor {
    x.requireDType(.float32, op: "batch_norm")
    if x.rank < 2 { tensorFailure("batch_norm", "expected input [N, C, *], got \(shapeText(x.shape))") }
    let n = x.shape[0], c = x.shape[1], spatial = x.shape[2...].reduce(1, *)
    for (name, t) in [("weight", weight), ("bias", bias), ("running_mean", runningMean), ("running_var", runningVar)] {
        if let t, t.shape != [c] { tensorFailure("batch_norm", "\(name) has shape \(shapeText(t.shape)), expected [\(c)] for input \(shapeText(x.shape))") }
    }
    if !training && (runningMean == nil || runningVar == nil) {
        tensorFailure("batch_norm", "evaluation mode needs running_mean and running_var")
    }
    let mean = Tensor(uninitializedShape: [c]), invStd = Tensor(uninitializedShape: [c])
    let xp = x.floats, mp = mean.floats, sp = invStd.floats
    // Values per channel in the whole batch (every process's, when synchronized).
    var m = n * spatial
    if training {
        // Σx and the count, then Σ(x − μ)² around the whole batch's mean: two passes, in double,
        // as one process computes them, so a batch split across processes gives its statistics.
        var sums = [Double](repeating: 0, count: c + 1)
        for ch in 0..<c {
            for i in 0..<n { let row = xp + (i * c + ch) * spatial; for j in 0..<spatial { sums[ch] += Double(row[j]) } }
        }
        sums[c] = Double(m)
        statistics.sum(&sums)
        m = Int(sums[c])
        if m <= 1 { tensorFailure("batch_norm", "expected more than 1 value per channel when training, got input \(shapeText(x.shape))") }
        var squares = [Double](repeating: 0, count: c)
        for ch in 0..<c {
            let mu = sums[ch] / Double(m)
            for i in 0..<n { let row = xp + (i * c + ch) * spatial; for j in 0..<spatial { let d = Double(row[j]) - mu; squares[ch] += d * d } }
        }
        statistics.sum(&squares)
        for ch in 0..<c {
            let mu = sums[ch] / Double(m), variance = squares[ch] / Double(m)
            mp[ch] = Float(mu)
            sp[ch] = Float(1 / (variance + Double(eps)).squareRoot())
            if let runningMean, let runningVar {
                let rm = runningMean.floats, rv = runningVar.floats
                rm[ch] = (1 - momentum) * rm[ch] + momentum * Float(mu)
                rv[ch] = (1 - momentum) * rv[ch] + momentum * Float(squares[ch] / Double(m - 1))
            }
        }
    } else {
        let rm = runningMean!.floats, rv = runningVar!.floats
        for ch in 0..<c { mp[ch] = rm[ch]; sp[ch] = 1 / (rv[ch] + eps).squareRoot() }
    }
    let out = Tensor(uninitializedShape: x.shape)
    let yp = out.floats, wp = weight?.floats, bp = bias?.floats
    for ch in 0..<c {
        let scale = sp[ch] * (wp?[ch] ?? 1), shift = (bp?[ch] ?? 0) - mp[ch] * scale
        for i in 0..<n {
            let src = xp + (i * c + ch) * spatial, dst = yp + (i * c + ch) * spatial
            for j in 0..<spatial { dst[j] = src[j] * scale + shift }
        }
    }
    let xs = x.detached(), ws = weight?.detached()
    let rx = x.requiresGrad, rw = weight?.requiresGrad ?? false, rb = bias?.requiresGrad ?? false
    let affine = OptionalAffine(weight: weight, bias: bias)
    let batchCount = m
    return Tensor.recorded("batch_norm", out, inputs: affine.inputs(x)) { g in
        // Capture the statistics tensors themselves (not pointers): they must outlive forward.
        let mp = mean.floats, sp = invStd.floats
        let gp = g.floats, xp = xs.floats
        // Σg and Σg·x̂ per channel over this process's part of the batch: the weight and bias
        // gradients (data parallelism averages those like any other parameter's).
        var sums = [Float](repeating: 0, count: 2 * c)
        for ch in 0..<c {
            let mu = mp[ch], inv = sp[ch]
            var sumG: Float = 0, sumGX: Float = 0
            for i in 0..<n {
                let go = gp + (i * c + ch) * spatial, xo = xp + (i * c + ch) * spatial
                for j in 0..<spatial { sumG += go[j]; sumGX += go[j] * (xo[j] - mu) * inv }
            }
            sums[ch] = sumG
            sums[c + ch] = sumGX
        }
        let gw = rw ? Tensor(shape: [c], scalars: Array(sums[c...])) : nil
        let gb = rb ? Tensor(shape: [c], scalars: Array(sums[..<c])) : nil
        guard rx else { return affine.gradients(nil, gw, gb) }
        let gx = Tensor(uninitializedShape: xs.shape)
        let dp = gx.floats
        if training {
            // The input gradient needs both sums over the whole batch.
            var global = sums.map(Double.init)
            statistics.sum(&global)
            let total = Float(batchCount)
            for ch in 0..<c {
                // dx = γ·inv/M · (M·g − Σg − x̂·Σ(g·x̂))
                let mu = mp[ch], inv = sp[ch], k = (ws?.floats[ch] ?? 1) * inv / total
                let sumG = Float(global[ch]), sumGX = Float(global[c + ch])
                for i in 0..<n {
                    let go = gp + (i * c + ch) * spatial, xo = xp + (i * c + ch) * spatial, d = dp + (i * c + ch) * spatial
                    for j in 0..<spatial { d[j] = k * (total * go[j] - sumG - (xo[j] - mu) * inv * sumGX) }
                }
            }
        } else {
            for ch in 0..<c {
                let k = (ws?.floats[ch] ?? 1) * sp[ch]
                for i in 0..<n {
                    let go = gp + (i * c + ch) * spatial, d = dp + (i * c + ch) * spatial
                    for j in 0..<spatial { d[j] = k * go[j] }
                }
            }
        }
        return affine.gradients(gx, gw, gb)
    }
}

/// Layer normalization over the trailing `normalizedShape` dimensions, PyTorch's `layer_norm`.
public func layerNorm(_ x: Tensor, normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil,
                      eps: Float = 1e-5) -> Tensor {
    x.requireDType(.float32, op: "layer_norm")
    if normalizedShape.isEmpty || x.rank < normalizedShape.count || Array(x.shape.suffix(normalizedShape.count)) != normalizedShape {
        tensorFailure("layer_norm", "input \(shapeText(x.shape)) does not end with normalized shape \(shapeText(normalizedShape))")
    }
    for (name, t) in [("weight", weight), ("bias", bias)] {
        if let t, t.shape != normalizedShape { tensorFailure("layer_norm", "\(name) has shape \(shapeText(t.shape)), expected \(shapeText(normalizedShape))") }
    }
    let d = normalizedShape.reduce(1, *), rows = x.count / Swift.max(d, 1)
    if case .cuda = x.device { return gpuLayerNorm(x, rows: rows, width: d, weight: weight, bias: bias, eps: eps) }
    let out = Tensor(uninitializedShape: x.shape)
    let mean = Tensor(uninitializedShape: [rows]), invStd = Tensor(uninitializedShape: [rows])
    let xp = x.floats, yp = out.floats, mp = mean.floats, sp = invStd.floats
    let wp = weight?.floats, bp = bias?.floats
    for r in 0..<rows {
        let src = xp + r * d, dst = yp + r * d
        var sum: Float = 0
        for j in 0..<d { sum += src[j] }
        let mu = sum / Float(d)
        var sq: Float = 0
        for j in 0..<d { let v = src[j] - mu; sq += v * v }
        let inv = 1 / (sq / Float(d) + eps).squareRoot()
        mp[r] = mu; sp[r] = inv
        for j in 0..<d { dst[j] = (src[j] - mu) * inv * (wp?[j] ?? 1) + (bp?[j] ?? 0) }
    }
    let xs = x.detached(), ws = weight?.detached()
    let rx = x.requiresGrad, rw = weight?.requiresGrad ?? false, rb = bias?.requiresGrad ?? false
    let affine = OptionalAffine(weight: weight, bias: bias)
    return Tensor.recorded("layer_norm", out, inputs: affine.inputs(x)) { g in
        // Capture the statistics tensors themselves (not pointers): they must outlive forward.
        let mp = mean.floats, sp = invStd.floats
        let gp = g.floats, xp = xs.floats, wq = ws?.floats
        let gx = rx ? Tensor(uninitializedShape: xs.shape) : nil
        let gw = rw ? Tensor.zeros(normalizedShape) : nil
        let gb = rb ? Tensor.zeros(normalizedShape) : nil
        for r in 0..<rows {
            let go = gp + r * d, xo = xp + r * d, mu = mp[r], inv = sp[r]
            var sumDy: Float = 0, sumDyX: Float = 0
            for j in 0..<d {
                let xhat = (xo[j] - mu) * inv
                let dy = go[j] * (wq?[j] ?? 1)
                sumDy += dy; sumDyX += dy * xhat
                if let gw { gw.floats[j] += go[j] * xhat }
                if let gb { gb.floats[j] += go[j] }
            }
            if let gx {
                let dst = gx.floats + r * d, k = inv / Float(d)
                for j in 0..<d {
                    let xhat = (xo[j] - mu) * inv
                    let dy = go[j] * (wq?[j] ?? 1)
                    dst[j] = k * (Float(d) * dy - sumDy - xhat * sumDyX)
                }
            }
        }
        return affine.gradients(gx, gw, gb)
    }
}

/// Layer normalization on a GPU, composed of GPU ops (mean, subtraction, division, square root,
/// broadcast affine) so autograd derives its gradient: more launches than a fused kernel, the
/// same formula as the CPU's (biased variance, `eps` inside the square root) within float32
/// rounding. `x` is `rows × width` once its normalized dimensions are flattened.
func gpuLayerNorm(_ x: Tensor, rows: Int, width: Int, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    let flat = x.reshaped(to: [rows, width])
    let centered = flat - flat.mean(dim: 1, keepDim: true)
    let variance = (centered * centered).mean(dim: 1, keepDim: true)
    var y = (centered / (variance + eps).sqrt()).reshaped(to: x.shape)
    if let weight { y = y * weight }
    if let bias { y = y + bias }
    return y
}

/// Rows of `weight` `[vocabulary, dim]` for each int64 index: the result is `indices.shape + [dim]`.
/// Rows equal to `paddingIndex` get no gradient.
public func embedding(_ indices: Tensor, weight: Tensor, paddingIndex: Int? = nil) -> Tensor {
    if indices.dtype != .int64 { tensorFailure("embedding", "indices must be int64, got \(indices.dtype) with shape \(shapeText(indices.shape))") }
    weight.requireDType(.float32, op: "embedding")
    indices.requireSameDevice(weight, op: "embedding")
    if weight.rank != 2 { tensorFailure("embedding", "weight must be [vocabulary, dim], got \(shapeText(weight.shape))") }
    let vocabulary = weight.shape[0], dim = weight.shape[1], k = indices.count
    let hostIndices = indices.to(.cpu)
    Tensor.requireIndices(hostIndices, below: vocabulary, op: "embedding") { "index \($0) is out of range for a vocabulary of \(vocabulary) (weight \(shapeText(weight.shape)))" }
    let pad = paddingIndex.map { $0 < 0 ? $0 + vocabulary : $0 }
    if case .cuda = weight.device {
        return weight.cudaIndexSelect(dim: 0, indices: indices.reshaped(to: [k]), hostIndices: hostIndices, outShape: [k, dim],
                                      op: "embedding", skipping: pad).reshaped(to: indices.shape + [dim])
    }
    let ix = hostIndices.int64s
    let out = Tensor(uninitializedShape: indices.shape + [dim])
    let wp = weight.floats, yp = out.floats
    for i in 0..<k { (yp + i * dim).update(from: wp + Int(ix[i]) * dim, count: dim) }
    let saved = hostIndices
    return Tensor.recorded("embedding", out, inputs: [weight]) { g in
        let grad = Tensor.zeros([vocabulary, dim])
        let gp = g.floats, dp = grad.floats, ix = saved.int64s
        for i in 0..<k where Int(ix[i]) != pad {
            let dst = dp + Int(ix[i]) * dim, src = gp + i * dim
            for j in 0..<dim { dst[j] += src[j] }
        }
        return [grad]
    }
}

/// The optional `weight` and `bias` of a normalization: which inputs the op records, and the
/// gradient list in the same order.
struct OptionalAffine {
    let weight: Tensor?, bias: Tensor?

    /// `x`, then the weight and bias that are present.
    func inputs(_ x: Tensor) -> [Tensor] {
        [x] + [weight, bias].compactMap { $0 }
    }

    /// The gradients for ``inputs(_:)``'s tensors, in order.
    func gradients(_ gx: Tensor?, _ gw: Tensor?, _ gb: Tensor?) -> [Tensor?] {
        var grads: [Tensor?] = [gx]
        if weight != nil { grads.append(gw) }
        if bias != nil { grads.append(gb) }
        return grads
    }
}
