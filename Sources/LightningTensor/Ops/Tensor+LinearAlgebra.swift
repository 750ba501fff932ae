/// Matrix products with PyTorch's `matmul` semantics.
extension Tensor {
    /// The matrix product: 1-D·1-D (dot), 2-D·2-D, batched with broadcast batch dimensions, and
    /// vectors promoted and squeezed as in `torch.matmul`.
    public func matmul(_ other: Tensor) -> Tensor {
        requireFloatPair(other, op: "matmul")
        if rank == 0 || other.rank == 0 {
            tensorFailure("matmul", "both arguments need at least one dimension, got \(shapeText(shape)) × \(shapeText(other.shape))")
        }
        // Promote vectors to matrices, remembering which dimensions to drop afterwards.
        let a = rank == 1 ? reshaped(to: [1, shape[0]]) : self
        let b = other.rank == 1 ? other.reshaped(to: [other.shape[0], 1]) : other
        let m = a.shape[a.rank - 2], k = a.shape[a.rank - 1]
        let k2 = b.shape[b.rank - 2], n = b.shape[b.rank - 1]
        if k != k2 {
            tensorFailure("matmul", "\(shapeText(shape)) × \(shapeText(other.shape)) — inner dimensions differ (\(k) vs \(k2))")
        }
        var result: Tensor
        if a.rank == 2 && b.rank == 2 {
            result = Tensor.matmul2D(a, b)
        } else if b.rank == 2 {
            // [..., m, k] × [k, n]: one GEMM over all leading rows.
            let rows = a.count / k
            result = Tensor.matmul2D(a.reshaped(to: [rows, k]), b).reshaped(to: Array(a.shape.dropLast()) + [n])
        } else {
            result = Tensor.batchedMatmul(a, b, m: m, k: k, n: n)
        }
        if rank == 1 && other.rank == 1 { return result.reshaped(to: []) }
        if rank == 1 { return result.squeezed(dim: -2) }
        if other.rank == 1 { return result.squeezed(dim: -1) }
        return result
    }

    /// `[m, k] × [k, n]`.
    static func matmul2D(_ a: Tensor, _ b: Tensor) -> Tensor {
        if case .cuda = a.device { return cudaMatmul2D(a, b) }
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        let out = Tensor(uninitializedShape: [m, n])
        Kernels.gemm(false, false, m: m, n: n, k: k, a: a.floats, b: b.floats, c: out.floats)
        let x = a.detached(), y = b.detached()
        let ra = a.requiresGrad, rb = b.requiresGrad
        return recorded("matmul", out, inputs: [a, b]) { g, destinations in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if ra {
                let dst = destinations.destination(0) ?? Tensor(uninitializedShape: [m, k])
                Kernels.gemm(false, true, m: m, n: k, k: n, a: g.floats, b: y.floats, c: dst.floats)
                ga = dst
            }
            if rb {
                let dst = destinations.destination(1) ?? Tensor(uninitializedShape: [k, n])
                Kernels.gemm(true, false, m: k, n: n, k: m, a: x.floats, b: g.floats, c: dst.floats)
                gb = dst
            }
            return [ga, gb]
        }
    }

    /// `[..., m, k] × [..., k, n]` with broadcast batch dimensions.
    static func batchedMatmul(_ a: Tensor, _ b: Tensor, m: Int, k: Int, n: Int) -> Tensor {
        if case .cuda = a.device { return cudaBatchedMatmul(a, b, m: m, k: k, n: n) }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batch = Kernels.broadcastShape(batchA, batchB, op: "matmul")
        let a3 = Kernels.broadcastBatch(a, batch: batch), b3 = Kernels.broadcastBatch(b, batch: batch)
        let count = batch.reduce(1, *)
        let out = Tensor(uninitializedShape: batch + [m, n])
        for i in 0..<count {
            Kernels.gemm(false, false, m: m, n: n, k: k, a: a3.floats + i * m * k, b: b3.floats + i * k * n,
                         c: out.floats + i * m * n)
        }
        let x = a3, y = b3
        let sa = a.shape, sb = b.shape
        let ra = a.requiresGrad, rb = b.requiresGrad
        return recorded("matmul", out, inputs: [a, b]) { g in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if ra {
                let full = Tensor(uninitializedShape: batch + [m, k])
                for i in 0..<count {
                    Kernels.gemm(false, true, m: m, n: k, k: n, a: g.floats + i * m * n, b: y.floats + i * k * n,
                                 c: full.floats + i * m * k)
                }
                ga = Kernels.sumTo(full, sa)
            }
            if rb {
                let full = Tensor(uninitializedShape: batch + [k, n])
                for i in 0..<count {
                    Kernels.gemm(true, false, m: k, n: n, k: m, a: x.floats + i * m * k, b: g.floats + i * m * n,
                                 c: full.floats + i * k * n)
                }
                gb = Kernels.sumTo(full, sb)
            }
            return [ga, gb]
        }
    }
}

extension Kernels {
    /// `t` ([..., r, c]) materialized with batch dimensions `batch` (a view when already so).
    static func broadcastBatch(_ t: Tensor, batch: [Int]) -> Tensor {
        let target = batch + Array(t.shape.suffix(2))
        return t.detached().expandedCopy(to: target)
    }
}

extension Tensor {
    /// This tensor broadcast to `target` (a copy; the gradient sums back).
    public func expanded(to target: [Int]) -> Tensor {
        let out = expandedCopy(to: target)
        let s = shape
        if case .cuda = device { return Tensor.recorded("expand", out, inputs: [self]) { g in [CUDAKernels.sumTo(g, s)] } }
        return Tensor.recorded("expand", out, inputs: [self]) { g in [Kernels.sumTo(g, s)] }
    }

    /// A contiguous copy broadcast to `target` (no gradient).
    func expandedCopy(to target: [Int]) -> Tensor {
        if shape == target { return detached() }
        if Kernels.broadcastShape(shape, target, op: "expand") != target {
            tensorFailure("expand", "shape \(shapeText(shape)) cannot be expanded to \(shapeText(target))")
        }
        if case .cuda = device { return CUDAKernels.expand(detached(), to: target) }
        return Kernels.binary(Tensor.zeros(target), detached(), op: "expand") { _, y in y }
    }
}
