#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Scales the gradients of `parameters` in place so their combined `normType`-norm is at most
/// `maxNorm`, and returns the norm before clipping (PyTorch's `clip_grad_norm_`).
///
/// `normType` is any p > 0 or `.infinity`. As in PyTorch, each gradient's norm is taken in float32,
/// the total is the norm of those norms, and the scale is `min(1, maxNorm / (total + 1e-6))`.
/// Parameters without a gradient are skipped; with none at all the result is 0.
@discardableResult
public func clipGradNorm(_ parameters: [Parameter], maxNorm: Double, normType: Double = 2) -> Float {
    usagePrecondition(normType > 0 && !normType.isNaN, "clipGradNorm: norm type \(normType) is not supported (use a p > 0 or .infinity)")
    usagePrecondition(maxNorm >= 0 && !maxNorm.isNaN, "clipGradNorm: maxNorm \(maxNorm) must be >= 0")
    let gradients = parameters.compactMap(\.grad)
    if gradients.isEmpty { return 0 }

    // Each tensor's norm is rounded to float32 (PyTorch's per-tensor vector_norm), then combined.
    let norms = gradients.map { Float(norm($0, normType)) }
    var total: Float = 0
    if normType == .infinity {
        // The largest norm; a NaN wins, as it does in torch.max.
        for n in norms where n > total || n.isNaN {
            total = n
            if n.isNaN { break }
        }
    } else {
        total = Float(pow(norms.reduce(0.0) { $0 + pow(Double($1), normType) }, 1 / normType))
    }

    let coefficient = Float(maxNorm) / (total + 1e-6)
    // PyTorch always multiplies by the clamped coefficient; multiplying by 1 changes nothing, but
    // a NaN total must still turn the gradients into NaN as it does there.
    if !(coefficient >= 1) {
        for gradient in gradients { gradient.scaleInPlace(by: coefficient) }
    }
    return total
}

/// Clamps every gradient element of `parameters` to `[-clipValue, clipValue]` in place
/// (PyTorch's `clip_grad_value_`); NaNs stay NaN.
public func clipGradValue(_ parameters: [Parameter], clipValue: Double) {
    usagePrecondition(clipValue >= 0 && !clipValue.isNaN, "clipGradValue: clipValue \(clipValue) must be >= 0")
    let high = Float(clipValue), low = -high
    for parameter in parameters {
        guard let gradient = parameter.grad else { continue }
        gradient.clampInPlace(low: low, high: high)
    }
}

/// The `p`-norm of a float tensor, accumulated in double.
private func norm(_ tensor: Tensor, _ p: Double) -> Double {
    // A GPU sums the squares where the gradient is (one scalar comes back); other norms read a host copy.
    if p == 2, !tensor.device.isCPU { return tensor.sumOfSquares().squareRoot() }
    return tensor.withUnsafeBufferPointer { x in
        if p == .infinity {
            var best: Float = 0
            for v in x {
                let a = abs(v)
                if a > best || a.isNaN { best = a }
                if best.isNaN { break }
            }
            return Double(best)
        }
        var sum = 0.0
        if p == 2 {
            // Four running sums break the add-latency chain of a single accumulator.
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            guard let base = x.baseAddress else { return 0 }
            let n = x.count
            var i = 0
            while i + 4 <= n {
                let a = Double(base[i]), b = Double(base[i + 1]), c = Double(base[i + 2]), d = Double(base[i + 3])
                s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
                i += 4
            }
            while i < n { let a = Double(base[i]); s0 += a * a; i += 1 }
            return ((s0 + s1) + (s2 + s3)).squareRoot()
        }
        if p == 1 {
            for v in x { sum += Double(abs(v)) }
            return sum
        }
        for v in x { sum += pow(Double(abs(v)), p) }
        return pow(sum, 1 / p)
    }
}
