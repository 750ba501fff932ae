import LightningCUDA

/// Joining and slicing on a GPU, with the CPU rules' gradients.
extension Tensor {
    /// `tensors` (on one GPU, shapes already checked) concatenated along `d` into `outShape`.
    static func cudaCat(_ tensors: [Tensor], dim d: Int, outShape: [Int]) -> Tensor {
        let first = tensors[0]
        let out = CUDAKernels.empty(outShape, like: first, dtype: first.dtype)
        let (outer, n, inner) = Kernels.split(outShape, d)
        var column = 0
        for t in tensors {
            let size = t.shape[d]
            CUDAKernels.copyAlongDim(from: t, to: out, outer: outer, count: size, inner: inner,
                                     source: (n: size, start: 0, step: 1), destination: (n: n, start: column, step: 1), op: "cat")
            column += size
        }
        let sizes = tensors.map { $0.shape[d] }
        return recorded("cat", out, inputs: tensors) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.sliced(dim: d, start: start, end: start + size)
            }
        }
    }

    /// Positions `lo, lo + step, …` (`length` of them) along `d`.
    func cudaSliced(dim d: Int, lo: Int, length: Int, step: Int, outShape: [Int]) -> Tensor {
        let out = CUDAKernels.empty(outShape, like: self, dtype: dtype)
        let (outer, n, inner) = Kernels.split(shape, d)
        CUDAKernels.copyAlongDim(from: self, to: out, outer: outer, count: length, inner: inner,
                                 source: (n: n, start: lo, step: step), destination: (n: length, start: 0, step: 1), op: "slice")
        let s = shape
        return Tensor.recorded("slice", out, inputs: [self]) { g in
            let grad = Tensor.zeros(s, device: g.device)
            CUDAKernels.copyAlongDim(from: g, to: grad, outer: outer, count: length, inner: inner,
                                     source: (n: length, start: 0, step: 1), destination: (n: n, start: lo, step: step), op: "slice")
            return [grad]
        }
    }
}

extension CUDAKernels {
    /// Positions along one dimension of `source` (`outer × n × inner` elements) copied to
    /// positions of `destination`: position `start + j × step` of one to the other's, `j < count`.
    static func copyAlongDim(from src: Tensor, to dst: Tensor, outer: Int, count: Int, inner: Int,
                             source: (n: Int, start: Int, step: Int), destination: (n: Int, start: Int, step: Int), op: String) {
        if src.dtype.byteSize % 4 != 0 { tensorFailure(op, "\(src.dtype) tensors have no GPU path; move them with .to(.cpu)") }
        let words = inner * src.dtype.byteSize / 4
        guard outer * count * words > 0 else { return }
        launch("copy_along_dim", .indexing, on: ordinal(src), elements: outer * count * words,
               [pointer(src), pointer(dst), .int64(Int64(outer)), .int64(Int64(count)), .int64(Int64(words)),
                .int64(Int64(source.n)), .int64(Int64(source.start)), .int64(Int64(source.step)),
                .int64(Int64(destination.n)), .int64(Int64(destination.start)), .int64(Int64(destination.step))], op: op)
    }
}
