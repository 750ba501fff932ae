#if canImport(Glibc)
import Glibc
#endif

/// Reductions: sum, mean, max/min, variance, logsumexp, argmax.
extension Tensor {
    /// The sum of all elements (a scalar).
    public func sum() -> Tensor {
        requireDType(.float32, op: "sum")
        if case .cuda = device { return cudaSum() }
        let x = floats
        var acc: Double = 0
        for i in 0..<count { acc += Double(x[i]) }
        let out = Tensor(Float(acc))
        let s = shape
        return Tensor.recorded("sum", out, inputs: [self]) { g in [Tensor.full(s, g.floats[0])] }
    }

    /// The sum along `dim`.
    public func sum(dim: Int, keepDim: Bool = false) -> Tensor {
        requireDType(.float32, op: "sum")
        let d = normalizedDim(dim, op: "sum")
        if rank == 0 { return sum() }
        if case .cuda = device { return cudaSum(dim: d, keepDim: keepDim) }
        let out = Kernels.sum(self, dim: d, keepDim: keepDim)
        let s = shape
        return Tensor.recorded("sum", out, inputs: [self]) { g in [Kernels.expand(g, to: s, dim: d)] }
    }

    /// The sum over several dimensions.
    public func sum(dims: [Int], keepDim: Bool = false) -> Tensor {
        let ds = Set(dims.map { normalizedDim($0, op: "sum") }).sorted(by: >)
        var result = self
        for d in ds { result = result.sum(dim: d, keepDim: keepDim) }
        return result
    }

    /// The mean of all elements (a scalar).
    public func mean() -> Tensor {
        if count == 0 { tensorFailure("mean", "mean of an empty tensor of shape \(shapeText(shape))") }
        return sum() * (1 / Float(count))
    }

    /// The mean along `dim`.
    public func mean(dim: Int, keepDim: Bool = false) -> Tensor {
        let d = normalizedDim(dim, op: "mean")
        if rank == 0 { return mean() }
        return sum(dim: d, keepDim: keepDim) * (1 / Float(shape[d]))
    }

    /// The mean over several dimensions.
    public func mean(dims: [Int], keepDim: Bool = false) -> Tensor {
        let ds = Set(dims.map { normalizedDim($0, op: "mean") })
        let n = ds.reduce(1) { $0 * shape[$1] }
        return sum(dims: Array(ds), keepDim: keepDim) * (1 / Float(n))
    }

    /// The maximum along `dim` (the gradient flows to the first maximal element).
    public func max(dim: Int, keepDim: Bool = false) -> Tensor {
        extremum(dim: dim, keepDim: keepDim, minimum: false, op: "max")
    }

    /// The minimum along `dim`.
    public func min(dim: Int, keepDim: Bool = false) -> Tensor {
        extremum(dim: dim, keepDim: keepDim, minimum: true, op: "min")
    }

    private func extremum(dim: Int, keepDim: Bool, minimum: Bool, op: String) -> Tensor {
        requireDType(.float32, op: op)
        let d = normalizedDim(dim, op: op)
        if shape.isEmpty { return self }
        if shape[d] == 0 { tensorFailure(op, "cannot reduce dimension \(dim) of size 0 in shape \(shapeText(shape))") }
        if case .cuda = device { return cudaExtremum(dim: d, keepDim: keepDim, minimum: minimum, op: op) }
        let (values, indices) = Kernels.max(self, dim: d, keepDim: keepDim, minimum: minimum)
        let s = shape
        return Tensor.recorded(op, values, inputs: [self]) { g in
            let (outer, n, inner) = Kernels.split(s, d)
            let out = Tensor.zeros(s)
            let gz = g.floats, ix = indices.int64s, z = out.floats
            for o in 0..<outer {
                for i in 0..<inner {
                    z[(o * n + Int(ix[o * inner + i])) * inner + i] = gz[o * inner + i]
                }
            }
            return [out]
        }
    }

    /// The largest element (a scalar; no gradient).
    public func max() -> Tensor {
        requireDType(.float32, op: "max")
        if count == 0 { tensorFailure("max", "max of an empty tensor") }
        return noGrad { reshaped(to: [count]).max(dim: 0) }
    }

    /// The smallest element (a scalar; no gradient).
    public func min() -> Tensor {
        requireDType(.float32, op: "min")
        if count == 0 { tensorFailure("min", "min of an empty tensor") }
        return noGrad { reshaped(to: [count]).min(dim: 0) }
    }

    /// The index of the maximum along `dim` (int64, no gradient).
    public func argmax(dim: Int, keepDim: Bool = false) -> Tensor {
        requireDType(.float32, op: "argmax")
        let d = normalizedDim(dim, op: "argmax")
        if shape.isEmpty { return Tensor.zeros([], dtype: .int64) }
        if shape[d] == 0 { tensorFailure("argmax", "cannot reduce dimension \(dim) of size 0 in shape \(shapeText(shape))") }
        if case .cuda = device { return cudaArgExtremum(dim: d, keepDim: keepDim, minimum: false) }
        return Kernels.max(self, dim: d, keepDim: keepDim).1
    }

    /// The index of the minimum along `dim` (int64, no gradient).
    public func argmin(dim: Int, keepDim: Bool = false) -> Tensor {
        requireDType(.float32, op: "argmin")
        let d = normalizedDim(dim, op: "argmin")
        if shape.isEmpty { return Tensor.zeros([], dtype: .int64) }
        if case .cuda = device { return cudaArgExtremum(dim: d, keepDim: keepDim, minimum: true) }
        return Kernels.max(self, dim: d, keepDim: keepDim, minimum: true).1
    }

    /// The variance along `dim`; `unbiased` divides by `n − 1` (Bessel's correction).
    public func variance(dim: Int, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        let d = normalizedDim(dim, op: "var")
        let n = shape.isEmpty ? 1 : shape[d]
        let centered = self - mean(dim: d, keepDim: true)
        let denominator = Float(unbiased ? n - 1 : n)
        return (centered * centered).sum(dim: d, keepDim: keepDim) / denominator
    }

    /// The variance of all elements.
    public func variance(unbiased: Bool = true) -> Tensor {
        reshaped(to: [count]).variance(dim: 0, unbiased: unbiased)
    }

    /// `log(sum(exp(x)))` along `dim`, computed stably.
    public func logsumexp(dim: Int, keepDim: Bool = false) -> Tensor {
        requireDType(.float32, op: "logsumexp")
        let d = normalizedDim(dim, op: "logsumexp")
        if shape.isEmpty { return self }
        if case .cuda = device {
            // m + log Σ e^(x − m) with m the (constant) maximum: its gradient is softmax(x), as below.
            let m = noGrad { max(dim: d, keepDim: true) }
            let total = (self - m).exp().sum(dim: d, keepDim: true).log() + m
            return keepDim ? total : total.reshaped(to: Kernels.reducedShape(shape, d, keepDim: false))
        }
        let (outer, n, inner) = Kernels.split(shape, d)
        let out = Tensor(uninitializedShape: Kernels.reducedShape(shape, d, keepDim: keepDim))
        let x = floats, z = out.floats
        for o in 0..<outer {
            for i in 0..<inner {
                let (m, logSum) = Kernels.laneShiftedLogSum(x + o * n * inner + i, n: n, stride: inner)
                z[o * inner + i] = m + logSum
            }
        }
        let input = detached(), result = out, s = shape
        return Tensor.recorded("logsumexp", out, inputs: [self]) { g in
            // d/dx = softmax(x) = exp(x − lse)
            let grad = Tensor(uninitializedShape: s)
            let gx = grad.floats, xin = input.floats, lse = result.floats, gg = g.floats
            for o in 0..<outer {
                for i in 0..<inner {
                    let l = lse[o * inner + i], gv = gg[o * inner + i]
                    for j in 0..<n {
                        let k = (o * n + j) * inner + i
                        gx[k] = gv * expf(xin[k] - l)
                    }
                }
            }
            return [grad]
        }
    }

    /// Softmax along `dim`.
    public func softmax(dim: Int) -> Tensor {
        requireDType(.float32, op: "softmax")
        let d = normalizedDim(dim, op: "softmax")
        if shape.isEmpty { return Tensor.ones([]) }
        if case .cuda = device { return cudaSoftmax(dim: d, logarithm: false) }
        let out = Kernels.softmax(self, dim: d)
        let y = out, s = shape
        return Tensor.recorded("softmax", out, inputs: [self]) { g in
            // dx = y ⊙ (g − Σ g⊙y)
            let (outer, n, inner) = Kernels.split(s, d)
            let grad = Tensor(uninitializedShape: s)
            let gx = grad.floats, yy = y.floats, gg = g.floats
            for o in 0..<outer {
                for i in 0..<inner {
                    var dot: Float = 0
                    for j in 0..<n { let k = (o * n + j) * inner + i; dot += gg[k] * yy[k] }
                    for j in 0..<n { let k = (o * n + j) * inner + i; gx[k] = yy[k] * (gg[k] - dot) }
                }
            }
            return [grad]
        }
    }

    /// Log-softmax along `dim`, computed stably.
    public func logSoftmax(dim: Int) -> Tensor {
        requireDType(.float32, op: "log_softmax")
        let d = normalizedDim(dim, op: "log_softmax")
        if shape.isEmpty { return Tensor.zeros([]) }
        if case .cuda = device { return cudaSoftmax(dim: d, logarithm: true) }
        let out = Kernels.logSoftmax(self, dim: d)
        let y = out, s = shape
        return Tensor.recorded("log_softmax", out, inputs: [self]) { g in
            // dx = g − softmax ⊙ Σ g
            let (outer, n, inner) = Kernels.split(s, d)
            let grad = Tensor(uninitializedShape: s)
            let gx = grad.floats, yy = y.floats, gg = g.floats
            for o in 0..<outer {
                for i in 0..<inner {
                    var total: Float = 0
                    for j in 0..<n { total += gg[(o * n + j) * inner + i] }
                    for j in 0..<n { let k = (o * n + j) * inner + i; gx[k] = gg[k] - expf(yy[k]) * total }
                }
            }
            return [grad]
        }
    }
}
