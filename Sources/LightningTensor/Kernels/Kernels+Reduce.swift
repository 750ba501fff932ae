#if canImport(Glibc)
import Glibc
#endif

/// Reductions along one dimension, viewing a tensor as `[outer, n, inner]`.
extension Kernels {
    /// The `(outer, n, inner)` split of `shape` around `dim`.
    static func split(_ shape: [Int], _ dim: Int) -> (Int, Int, Int) {
        let outer = shape[..<dim].reduce(1, *)
        let inner = shape[(dim + 1)...].reduce(1, *)
        return (outer, shape[dim], inner)
    }

    /// The shape after reducing `dim` (kept as 1 or removed).
    static func reducedShape(_ shape: [Int], _ dim: Int, keepDim: Bool) -> [Int] {
        var s = shape
        if keepDim { s[dim] = 1 } else { s.remove(at: dim) }
        return s
    }

    /// Sums along `dim`.
    static func sum(_ a: Tensor, dim: Int, keepDim: Bool) -> Tensor {
        let (outer, n, inner) = split(a.shape, dim)
        let out = Tensor.zeros(reducedShape(a.shape, dim, keepDim: keepDim))
        let x = a.floats, z = out.floats
        for o in 0..<outer {
            let src = x + o * n * inner, dst = z + o * inner
            if inner == 1 {
                var acc: Float = 0
                for j in 0..<n { acc += src[j] }
                dst[0] = acc
            } else {
                for j in 0..<n {
                    let row = src + j * inner
                    for i in 0..<inner { dst[i] += row[i] }
                }
            }
        }
        return out
    }

    /// Repeats `g` (shaped like a reduction over `dim` of `shape`) back along `dim`, times `scale`.
    static func expand(_ g: Tensor, to shape: [Int], dim: Int, scale: Float = 1) -> Tensor {
        let (outer, n, inner) = split(shape, dim)
        let out = Tensor(uninitializedShape: shape)
        let x = g.floats, z = out.floats
        for o in 0..<outer {
            let src = x + o * inner
            for j in 0..<n {
                let dst = z + (o * n + j) * inner
                for i in 0..<inner { dst[i] = src[i] * scale }
            }
        }
        return out
    }

    /// Maximum along `dim` with the index of the first maximum (NaN propagates like PyTorch).
    static func max(_ a: Tensor, dim: Int, keepDim: Bool, minimum: Bool = false) -> (Tensor, Tensor) {
        let (outer, n, inner) = split(a.shape, dim)
        let shape = reducedShape(a.shape, dim, keepDim: keepDim)
        let values = Tensor(uninitializedShape: shape), indices = Tensor(uninitializedShape: shape, dtype: .int64)
        let x = a.floats, v = values.floats, ix = indices.int64s
        for o in 0..<outer {
            for i in 0..<inner {
                let base = x + o * n * inner + i
                var best = base[0], bestIndex = 0
                if n > 1 {
                    for j in 1..<n {
                        let c = base[j * inner]
                        if best.isNaN { break }
                        if c.isNaN || (minimum ? c < best : c > best) { best = c; bestIndex = j }
                    }
                }
                v[o * inner + i] = best
                ix[o * inner + i] = Int64(bestIndex)
            }
        }
        return (values, indices)
    }

    /// Calls `body(base)` for every lane along `dim`: lane elements are `base + j·inner`, `j < n`.
    @inline(__always)
    static func forEachLane(_ shape: [Int], _ dim: Int, _ body: (_ base: Int, _ n: Int, _ inner: Int) -> Void) {
        let (outer, n, inner) = split(shape, dim)
        for o in 0..<outer {
            for i in 0..<inner { body(o * n * inner + i, n, inner) }
        }
    }

    /// The lane's maximum `m` (0 if not finite) and `log Σ_j exp(p[j·stride] − m)`: shifting by
    /// the maximum keeps large logits from overflowing, and callers subtract `m` before the log
    /// term so large magnitudes do not cancel away precision.
    @inline(__always)
    static func laneShiftedLogSum(_ p: UnsafePointer<Float>, n: Int, stride: Int) -> (max: Float, logSum: Float) {
        var m = -Float.infinity
        for j in 0..<n { m = Swift.max(m, p[j * stride]) }
        if !m.isFinite { m = 0 }
        var s: Float = 0
        for j in 0..<n { s += expf(p[j * stride] - m) }
        return (m, logf(s))
    }

    /// Log-softmax along `dim`: `(x − m) − log Σ exp(x − m)`.
    static func logSoftmax(_ a: Tensor, dim: Int) -> Tensor {
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, z = out.floats
        forEachLane(a.shape, dim) { base, n, inner in
            let (m, logSum) = laneShiftedLogSum(x + base, n: n, stride: inner)
            for j in 0..<n { z[base + j * inner] = (x[base + j * inner] - m) - logSum }
        }
        return out
    }

    /// Softmax along `dim`: `exp(x − m) / Σ exp(x − m)`.
    static func softmax(_ a: Tensor, dim: Int) -> Tensor {
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, z = out.floats
        forEachLane(a.shape, dim) { base, n, inner in
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[base + j * inner]) }
            if !m.isFinite { m = 0 }
            var s: Float = 0
            for j in 0..<n { let e = expf(x[base + j * inner] - m); z[base + j * inner] = e; s += e }
            let inv = 1 / s
            for j in 0..<n { z[base + j * inner] *= inv }
        }
        return out
    }
}
