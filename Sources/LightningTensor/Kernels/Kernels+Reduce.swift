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

    /// Log-softmax along `dim` (max-shifted for stability).
    static func logSoftmax(_ a: Tensor, dim: Int) -> Tensor {
        let (outer, n, inner) = split(a.shape, dim)
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, z = out.floats
        for o in 0..<outer {
            for i in 0..<inner {
                let src = x + o * n * inner + i, dst = z + o * n * inner + i
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, src[j * inner]) }
                if !m.isFinite { m = 0 }
                var s: Float = 0
                for j in 0..<n { s += expf(src[j * inner] - m) }
                let lse = m + logf(s)
                for j in 0..<n { dst[j * inner] = src[j * inner] - lse }
            }
        }
        return out
    }

    /// Softmax along `dim`.
    static func softmax(_ a: Tensor, dim: Int) -> Tensor {
        let (outer, n, inner) = split(a.shape, dim)
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, z = out.floats
        for o in 0..<outer {
            for i in 0..<inner {
                let src = x + o * n * inner + i, dst = z + o * n * inner + i
                var m = -Float.infinity
                for j in 0..<n { m = Swift.max(m, src[j * inner]) }
                if !m.isFinite { m = 0 }
                var s: Float = 0
                for j in 0..<n { let e = expf(src[j * inner] - m); dst[j * inner] = e; s += e }
                let inv = 1 / s
                for j in 0..<n { dst[j * inner] *= inv }
            }
        }
        return out
    }
}
