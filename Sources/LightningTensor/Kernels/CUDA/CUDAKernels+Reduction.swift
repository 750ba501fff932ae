import LightningCUDA

/// The reduction kernels' operations (the `OP_*` of the sources' prelude).
package enum ReduceKernelOp: Int32 {
    case sum = 0, max = 1, min = 2, sumOfSquares = 3
}

/// Reductions on the GPU, each output element computed in a fixed order (bit-identical runs).
extension CUDAKernels {
    /// `x` reduced over `dims` (sorted, distinct), the result shaped as `x` without them; sums
    /// are multiplied by `scale` (a mean's 1/n).
    static func reduce(_ op: ReduceKernelOp, _ x: Tensor, dims: [Int], scale: Float = 1, name: String) -> Tensor {
        let kept = (0..<x.rank).filter { !dims.contains($0) }
        let outShape = kept.map { x.shape[$0] }
        if dims.count == x.rank || kept.allSatisfy({ x.shape[$0] == 1 }) {
            return reduceAll(op, x, scale: scale, name: name).reshaped(to: outShape)
        }
        let strides = contiguousStrides(x.shape)
        // One long contiguous run per output (reducing the trailing dimensions): a block per row.
        if dims == Array((x.rank - dims.count)..<x.rank) {
            let n = dims.reduce(1) { $0 * x.shape[$1] }
            let out = empty(outShape, like: x)
            launchRows("reduce_rows", .reduction, on: ordinal(x), rows: out.count,
                       [.int32(op.rawValue), pointer(x), pointer(out), .int64(Int64(out.count)), .int64(Int64(n)), .int64(1), .float(scale)], op: name)
            return out
        }
        let out = empty(outShape, like: x)
        let reducedCount = dims.reduce(1) { $0 * x.shape[$1] }
        let geometry = KernelGeometry.reduction(keptSize: outShape, keptStride: kept.map { strides[$0] },
                                                reducedSize: dims.map { x.shape[$0] }, reducedStride: dims.map { strides[$0] })
        launch("reduce_strided", .reduction, on: ordinal(x), elements: out.count,
               [.int32(op.rawValue), pointer(x), pointer(out), .int64(Int64(out.count)), .int64(Int64(reducedCount)), geometry, .float(scale)], op: name)
        return out
    }

    /// Every element of `x` reduced to a scalar: fixed slices per block, then one block over
    /// the partial results (two launches, the same order every run).
    package static func reduceAll(_ op: ReduceKernelOp, _ x: Tensor, scale: Float = 1, name: String) -> Tensor {
        let blocks = Swift.max(1, Swift.min(1024, (x.count + rowBlock * 8 - 1) / (rowBlock * 8)))
        let partial = empty([blocks], like: x)
        do {
            try DeviceTransfer.runtime(for: ordinal(x), op: name).0.launch(
                "reduce_all_partial", in: .reduction, device: ordinal(x), grid: LaunchDimensions(blocks), block: LaunchDimensions(rowBlock),
                sharedBytes: rowBlock * 4, arguments: [.int32(op.rawValue), pointer(x), pointer(partial), .int64(Int64(x.count))])
        } catch {
            tensorFailure(name, "the CUDA kernel reduce_all_partial on \(x.device) failed: \(error)")
        }
        let out = empty([], like: x)
        // Partial sums of squares are sums: the second pass adds them.
        let second: ReduceKernelOp = op == .sumOfSquares ? .sum : op
        launchRows("reduce_rows", .reduction, on: ordinal(x), rows: 1,
                   [.int32(second.rawValue), pointer(partial), pointer(out), .int64(1), .int64(Int64(blocks)), .int64(1), .float(scale)], op: name)
        return out
    }

    /// `g` summed down to `shape` (undoing a broadcast), as ``Kernels/sumTo(_:_:)``.
    static func sumTo(_ g: Tensor, _ shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        // Leading dimensions the broadcast added, then dimensions of size 1 it stretched.
        let lead = g.rank - shape.count
        let dims = (0..<g.rank).filter { $0 < lead || (shape[$0 - lead] == 1 && g.shape[$0] != 1) }
        return reduce(.sum, g, dims: dims, name: "sum_to").reshaped(to: shape)
    }

    /// The index of the largest (or smallest) element along `dim`, int64, `dim` removed.
    static func argReduce(_ x: Tensor, dim: Int, smallest: Bool, name: String) -> Tensor {
        let n = x.shape[dim], inner = x.shape[(dim + 1)...].reduce(1, *), outer = x.shape[..<dim].reduce(1, *)
        var outShape = x.shape
        outShape.remove(at: dim)
        let out = empty(outShape, like: x, dtype: .int64)
        launchRows("argreduce_rows", .reduction, on: ordinal(x), rows: outer * inner, sharedBytesPerThread: 12,
                   [.int32(smallest ? 1 : 0), pointer(x), pointer(out), .int64(Int64(outer * inner)), .int64(Int64(n)), .int64(Int64(inner))], op: name)
        return out
    }

    /// Row-major element strides of `shape`.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[d] = running
            running *= shape[d]
        }
        return strides
    }
}
