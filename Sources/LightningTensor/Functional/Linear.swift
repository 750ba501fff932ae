/// `x · weightᵀ + bias`, PyTorch's `linear`: `x` is `[*, in]`, `weight` `[out, in]`, `bias` `[out]`.
///
/// One `sgemm` forward; backward uses transpose flags (no transposed copies) and writes the
/// weight and bias gradients straight into a flat gradient buffer when the parameters have one.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) -> Tensor {
    x.requireFloatPair(weight, op: "linear")
    if weight.rank != 2 || x.rank < 1 || x.shape[x.rank - 1] != weight.shape[1] {
        tensorFailure("linear", "input \(shapeText(x.shape)) × weight \(shapeText(weight.shape)) — expected input [*, \(weight.rank == 2 ? weight.shape[1] : -1)] and weight [out, in]")
    }
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    if let bias, bias.shape != [outFeatures] {
        tensorFailure("linear", "bias shape \(shapeText(bias.shape)) does not match weight \(shapeText(weight.shape)); expected [\(outFeatures)]")
    }
    let rows = x.count / Swift.max(inFeatures, 1)
    let outShape = Array(x.shape.dropLast()) + [outFeatures]
    if let bias { x.requireSameDevice(bias, op: "linear") }
    if case .cuda = x.device { return Tensor.cudaLinear(x, weight: weight, bias: bias, rows: rows, outShape: outShape) }
    let out = Tensor(uninitializedShape: outShape)
    let y = out.floats
    var beta: Float = 0
    if let bias {
        let b = bias.floats
        for r in 0..<rows { (y + r * outFeatures).update(from: b, count: outFeatures) }
        beta = 1
    }
    Kernels.gemm(false, true, m: rows, n: outFeatures, k: inFeatures, a: x.floats, b: weight.floats, beta: beta, c: y)
    let xs = x.detached(), w = weight.detached()
    let rx = x.requiresGrad, rw = weight.requiresGrad, rb = bias?.requiresGrad ?? false
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.recorded("linear", out, inputs: inputs) { g, destinations in
        var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
        if rx {
            let dst = Tensor(uninitializedShape: xs.shape)
            Kernels.gemm(false, false, m: rows, n: inFeatures, k: outFeatures, a: g.floats, b: w.floats, c: dst.floats)
            gx = dst
        }
        if rw {
            let dst = destinations.destination(1) ?? Tensor(uninitializedShape: [outFeatures, inFeatures])
            Kernels.gemm(true, false, m: outFeatures, n: inFeatures, k: rows, a: g.floats, b: xs.floats, c: dst.floats)
            gw = dst
        }
        if rb {
            let dst = destinations.destination(2) ?? Tensor(uninitializedShape: [outFeatures])
            Kernels.columnSums(g.floats, rows: rows, columns: outFeatures, into: dst.floats)
            gb = dst
        }
        return bias == nil ? [gx, gw] : [gx, gw, gb]
    }
}

extension Kernels {
    /// `out[j] = Σ_r x[r, j]` for a row-major `rows × columns` matrix.
    static func columnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
        out.update(repeating: 0, count: columns)
        for r in 0..<rows {
            let row = x + r * columns
            for j in 0..<columns { out[j] += row[j] }
        }
    }
}
