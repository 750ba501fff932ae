import LightningCUDA

/// Joining, slicing and selecting on a GPU, with the CPU rules' gradients.
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
        return recordedCat(out, inputs: tensors, dim: d)
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

extension Tensor {
    /// Positions `indices` (int64 on this GPU; `hostIndices` is their range-checked host copy)
    /// along `d`, recorded as `op`. The gradient sums each selected position's gradient into
    /// its row in index order, as the CPU does; rows equal to `skipping` get none (embedding's
    /// padding index).
    func cudaIndexSelect(dim d: Int, indices: Tensor, hostIndices: Tensor, outShape: [Int], op: String, skipping: Int? = nil) -> Tensor {
        let out = CUDAKernels.empty(outShape, like: self, dtype: dtype)
        let (outer, n, inner) = Kernels.split(shape, d)
        let k = indices.count
        if dtype.byteSize % 4 != 0 { tensorFailure(op, "\(dtype) tensors have no GPU path; move them with .to(.cpu)") }
        let words = inner * dtype.byteSize / 4
        if outer * k * words > 0 {
            CUDAKernels.launch("gather_along_dim", .indexing, on: CUDAKernels.ordinal(self), elements: outer * k * words,
                               [CUDAKernels.pointer(self), CUDAKernels.pointer(indices), CUDAKernels.pointer(out),
                                .int64(Int64(outer)), .int64(Int64(k)), .int64(Int64(n)), .int64(Int64(words))], op: op)
        }
        let s = shape, device = self.device
        return Tensor.recorded(op, out, inputs: [self]) { g in
            let (rowStart, positions) = Tensor.positionsByRow(hostIndices, rows: n, skipping: skipping, device: device)
            let grad = CUDAKernels.empty(s, like: g)
            if outer * n * inner > 0 {
                CUDAKernels.launch("scatter_sum_along_dim", .indexing, on: CUDAKernels.ordinal(g), elements: outer * n * inner,
                                   [CUDAKernels.pointer(g), CUDAKernels.pointer(rowStart), CUDAKernels.pointer(positions), CUDAKernels.pointer(grad),
                                    .int64(Int64(outer)), .int64(Int64(n)), .int64(Int64(k)), .int64(Int64(inner))], op: op)
            }
            return [grad]
        }
    }

    /// For each of `rows` rows, the positions of `indices` (int64, host) that select it, in
    /// increasing order: row `r`'s are `positions[rowStart[r] ..< rowStart[r + 1]]`. Positions
    /// selecting `skipping` are left out.
    static func positionsByRow(_ indices: Tensor, rows: Int, skipping: Int?, device: Device) -> (rowStart: Tensor, positions: Tensor) {
        let ix = indices.int64s, k = indices.count
        var start = [Int64](repeating: 0, count: rows + 1)
        for j in 0..<k where Int(ix[j]) != skipping { start[Int(ix[j]) + 1] += 1 }
        for r in 0..<rows { start[r + 1] += start[r] }
        var next = start, positions = [Int64](repeating: 0, count: Swift.max(Int(start[rows]), 1))
        for j in 0..<k where Int(ix[j]) != skipping {
            positions[Int(next[Int(ix[j])])] = Int64(j)
            next[Int(ix[j])] += 1
        }
        return (Tensor(shape: [rows + 1], int64Scalars: start, device: device),
                Tensor(shape: [positions.count], int64Scalars: positions, device: device))
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
