import LightningCUDA

/// Matrix products and `linear` on a GPU (cuBLAS), with the CPU rules' gradients written
/// straight into flat-buffer slots when the autograd engine offers them.
extension Tensor {
    /// `[m, k] × [k, n]`.
    static func cudaMatmul2D(_ a: Tensor, _ b: Tensor) -> Tensor {
        let m = a.shape[0], k = a.shape[1], n = b.shape[1]
        let out = CUDAKernels.empty([m, n], like: a)
        CUDAKernels.gemm(false, false, m: m, n: n, k: k, a: a, b: b, c: out)
        let x = a.detached(), y = b.detached(), ra = a.requiresGrad, rb = b.requiresGrad
        return recorded("matmul", out, inputs: [a, b]) { g, destinations in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if ra {
                let dst = destinations.destination(0) ?? CUDAKernels.empty([m, k], like: g)
                CUDAKernels.gemm(false, true, m: m, n: k, k: n, a: g, b: y, c: dst)
                ga = dst
            }
            if rb {
                let dst = destinations.destination(1) ?? CUDAKernels.empty([k, n], like: g)
                CUDAKernels.gemm(true, false, m: k, n: n, k: m, a: x, b: g, c: dst)
                gb = dst
            }
            return [ga, gb]
        }
    }

    /// `[..., m, k] × [..., k, n]` with broadcast batch dimensions: one product per matrix.
    static func cudaBatchedMatmul(_ a: Tensor, _ b: Tensor, m: Int, k: Int, n: Int) -> Tensor {
        let batch = Kernels.broadcastShape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)), op: "matmul")
        let a3 = CUDAKernels.expand(a.detached(), to: batch + [m, k]), b3 = CUDAKernels.expand(b.detached(), to: batch + [k, n])
        let count = batch.reduce(1, *)
        let out = CUDAKernels.empty(batch + [m, n], like: a)
        for i in 0..<count {
            CUDAKernels.gemm(false, false, m: m, n: n, k: k, a: a3, aOffset: i * m * k, b: b3, bOffset: i * k * n, c: out, cOffset: i * m * n)
        }
        let sa = a.shape, sb = b.shape, ra = a.requiresGrad, rb = b.requiresGrad
        return recorded("matmul", out, inputs: [a, b]) { g in
            var ga: Tensor? = nil, gb: Tensor? = nil
            if ra {
                let full = CUDAKernels.empty(batch + [m, k], like: g)
                for i in 0..<count {
                    CUDAKernels.gemm(false, true, m: m, n: k, k: n, a: g, aOffset: i * m * n, b: b3, bOffset: i * k * n, c: full, cOffset: i * m * k)
                }
                ga = CUDAKernels.sumTo(full, sa)
            }
            if rb {
                let full = CUDAKernels.empty(batch + [k, n], like: g)
                for i in 0..<count {
                    CUDAKernels.gemm(true, false, m: k, n: n, k: m, a: a3, aOffset: i * m * k, b: g, bOffset: i * m * n, c: full, cOffset: i * k * n)
                }
                gb = CUDAKernels.sumTo(full, sb)
            }
            return [ga, gb]
        }
    }

    /// `x · weightᵀ + bias` for `x` `[rows, in]` (already checked).
    static func cudaLinear(_ x: Tensor, weight: Tensor, bias: Tensor?, rows: Int, outShape: [Int]) -> Tensor {
        let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
        let out: Tensor
        if let bias {
            // The bias in every row, then the product added onto it (beta = 1).
            out = CUDAKernels.expand(bias.detached(), to: [rows, outFeatures]).copiedIfShared(bias)
        } else {
            out = CUDAKernels.empty([rows, outFeatures], like: x)
        }
        CUDAKernels.gemm(false, true, m: rows, n: outFeatures, k: inFeatures, a: x, b: weight, beta: bias == nil ? 0 : 1, c: out)
        let xs = x.detached(), w = weight.detached()
        let rx = x.requiresGrad, rw = weight.requiresGrad, rb = bias?.requiresGrad ?? false
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return recorded("linear", out.reshaped(to: outShape), inputs: inputs) { g, destinations in
            var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
            if rx {
                let dst = CUDAKernels.empty(xs.shape, like: g)
                CUDAKernels.gemm(false, false, m: rows, n: inFeatures, k: outFeatures, a: g, b: w, c: dst)
                gx = dst
            }
            if rw {
                let dst = destinations.destination(1) ?? CUDAKernels.empty([outFeatures, inFeatures], like: g)
                CUDAKernels.gemm(true, false, m: outFeatures, n: inFeatures, k: rows, a: g, b: xs, c: dst)
                gw = dst
            }
            if rb {
                let sums = CUDAKernels.reduce(.sum, g.reshaped(to: [rows, outFeatures]), dims: [0], name: "linear")
                if let dst = destinations.destination(2) {
                    Kernels.copy(from: sums, to: dst)
                    gb = dst
                } else {
                    gb = sums
                }
            }
            return bias == nil ? [gx, gw] : [gx, gw, gb]
        }
    }

    /// This tensor, or a copy when it shares `other`'s elements (so writing it leaves `other` alone).
    func copiedIfShared(_ other: Tensor) -> Tensor { sharesElements(with: other) ? copied() : self }
}
