import LightningCUDA

/// Softmax, log-softmax and the negative log-likelihood on the GPU.
extension CUDAKernels {
    /// softmax (or log-softmax) of `x` along `dim`.
    static func softmax(_ x: Tensor, dim: Int, logarithm: Bool) -> Tensor {
        let (rows, n, inner) = lines(x.shape, dim)
        let out = empty(x.shape, like: x)
        launchRows("softmax_rows", .softmax, on: ordinal(x), rows: rows,
                   [pointer(x), pointer(out), .int64(Int64(rows)), .int64(Int64(n)), .int64(Int64(inner)), .int32(logarithm ? 1 : 0)],
                   op: logarithm ? "log_softmax" : "softmax")
        return out
    }

    /// The gradient of softmax (or log-softmax) from the output `y`.
    static func softmaxBackward(_ g: Tensor, y: Tensor, dim: Int, logarithm: Bool) -> Tensor {
        let (rows, n, inner) = lines(y.shape, dim)
        let out = empty(y.shape, like: y)
        launchRows("softmax_backward_rows", .softmax, on: ordinal(y), rows: rows,
                   [pointer(g), pointer(y), pointer(out), .int64(Int64(rows)), .int64(Int64(n)), .int64(Int64(inner)), .int32(logarithm ? 1 : 0)],
                   op: logarithm ? "log_softmax" : "softmax")
        return out
    }

    /// Rows (outer × inner), their length and stride for a reduction along `dim`.
    static func lines(_ shape: [Int], _ dim: Int) -> (rows: Int, n: Int, inner: Int) {
        let inner = shape[(dim + 1)...].reduce(1, *)
        return (shape[..<dim].reduce(1, *) * inner, shape[dim], inner)
    }

    /// The per-sample losses and target weights of NLL over `logProbs` `[N, C]`; stops naming
    /// the first target out of range, as the CPU does.
    static func nllForward(_ logProbs: Tensor, targets: Tensor, weight: Tensor?, ignoreIndex: Int, smoothing: Float,
                           op: String) -> (loss: Tensor, targetWeight: Tensor) {
        let n = logProbs.shape[0], c = logProbs.shape[1]
        let loss = empty([n], like: logProbs), targetWeight = empty([n], like: logProbs)
        // The first bad row, or n: checked on the host (one small read) so a bad label stops here.
        let badRow = Tensor(shape: [1], int64Scalars: [Int64(Int32.max)]).to(logProbs.device)
        launchRows("nll_forward", .softmax, on: ordinal(logProbs), rows: n,
                   [pointer(logProbs), pointer(targets), weight.map(pointer) ?? none, pointer(loss), pointer(targetWeight), pointer(badRow),
                    .int64(Int64(n)), .int64(Int64(c)), .int64(Int64(ignoreIndex)), .float(smoothing)], op: op)
        let bad = Int(Int32(truncatingIfNeeded: badRow.int64Scalars[0]))
        if bad < n {
            tensorFailure(op, "target \(targets.int64Scalars[bad]) at position \(bad) is out of range for \(c) classes")
        }
        return (loss, targetWeight)
    }

    /// The gradient of NLL (or, `fromLogits`, of cross entropy with respect to the logits).
    static func nllBackward(_ logProbs: Tensor, targets: Tensor, weight: Tensor?, g: Tensor, weightSum: Tensor?, ignoreIndex: Int,
                            smoothing: Float, reduction: Int32, fromLogits: Bool, op: String) -> Tensor {
        let out = empty(logProbs.shape, like: logProbs)
        launch("nll_backward", .softmax, on: ordinal(logProbs), elements: logProbs.count,
               [pointer(logProbs), pointer(targets), weight.map(pointer) ?? none, pointer(g), weightSum.map(pointer) ?? none, pointer(out),
                .int64(Int64(logProbs.shape[0])), .int64(Int64(logProbs.shape[1])), .int64(Int64(ignoreIndex)), .float(smoothing),
                .int32(reduction), .int32(fromLogits ? 1 : 0)], op: op)
        return out
    }
}
