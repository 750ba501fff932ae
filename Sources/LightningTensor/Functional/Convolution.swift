/// 2-D convolution (cross-correlation, as PyTorch): `x` `[N, C, H, W]`, `weight`
/// `[O, C/groups, kh, kw]`, optional `bias` `[O]`.
///
/// Each image is unfolded with im2col and multiplied by the weight with one `sgemm` per group;
/// backward recomputes the columns instead of keeping them, trading a cheap copy for memory.
@_disfavoredOverload
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                   dilation: (Int, Int) = (1, 1), groups: Int = 1) -> Tensor {
    x.requireFloatPair(weight, op: "conv2d")
    if x.rank != 4 || weight.rank != 4 {
        tensorFailure("conv2d", "expected input [N, C, H, W] and weight [O, C/groups, kh, kw], got \(shapeText(x.shape)) and \(shapeText(weight.shape))")
    }
    let n = x.shape[0], c = x.shape[1], o = weight.shape[0]
    if groups < 1 || c % groups != 0 || o % groups != 0 || weight.shape[1] != c / groups {
        tensorFailure("conv2d", "input \(shapeText(x.shape)) with \(groups) groups needs weight [O, \(groups > 0 ? c / groups : 0), kh, kw] with O divisible by groups, got \(shapeText(weight.shape))")
    }
    if let bias, bias.shape != [o] {
        tensorFailure("conv2d", "bias shape \(shapeText(bias.shape)) does not match \(o) output channels")
    }
    if stride.0 < 1 || stride.1 < 1 || dilation.0 < 1 || dilation.1 < 1 || padding.0 < 0 || padding.1 < 0 {
        tensorFailure("conv2d", "stride and dilation must be ≥ 1 and padding ≥ 0, got stride \(stride), padding \(padding), dilation \(dilation)")
    }
    let cg = c / groups, og = o / groups
    let geo = ConvGeometry(channels: cg, height: x.shape[2], width: x.shape[3],
                           kernelH: weight.shape[2], kernelW: weight.shape[3],
                           strideH: stride.0, strideW: stride.1, padH: padding.0, padW: padding.1,
                           dilationH: dilation.0, dilationW: dilation.1)
    if geo.outH < 1 || geo.outW < 1 {
        tensorFailure("conv2d", "input \(shapeText(x.shape)) is smaller than the kernel \(shapeText(weight.shape)) with padding \(padding) and dilation \(dilation)")
    }
    let plan = ConvPlan(geo: geo, images: n, inChannels: c, outChannels: o, groups: groups)
    let out = Tensor(uninitializedShape: [n, o, geo.outH, geo.outW])
    let saved = plan.forward(x: x.floats, weight: weight.floats, bias: bias?.floats, out: out.floats,
                             keepColumns: weight.requiresGrad && GradMode.isEnabled)
    let xs = x.detached(), ws = weight.detached()
    let rx = x.requiresGrad, rw = weight.requiresGrad, rb = bias?.requiresGrad ?? false, hasBias = bias != nil
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.recorded("conv2d", out, inputs: inputs) { g, destinations in
        let gx = rx ? Tensor.zeros(xs.shape) : nil
        let gw = rw ? destinations.destination(1) ?? Tensor(uninitializedShape: ws.shape) : nil
        let gb = rb ? destinations.destination(2) ?? Tensor(uninitializedShape: [o]) : nil
        plan.backward(x: xs.floats, columns: saved, weight: ws.floats, gradOut: g.floats,
                      gradX: gx?.floats, gradWeight: gw?.floats, gradBias: gb?.floats)
        return hasBias ? [gx, gw, gb] : [gx, gw]
    }
}

/// How a convolution runs as GEMMs: images go in chunks whose unfolded columns sit side by side
/// in one `[C/groups·kh·kw, images·outH·outW]` matrix, so each group is one large `sgemm` instead
/// of one small GEMM per image (small GEMMs run far below peak).
struct ConvPlan {
    let geo: ConvGeometry
    let images: Int, inChannels: Int, outChannels: Int, groups: Int

    var k: Int { geo.columnRows }
    var l: Int { geo.columnCount }
    var groupOut: Int { outChannels / groups }
    var imageSize: Int { inChannels * geo.height * geo.width }
    var groupInputOffset: Int { geo.channels * geo.height * geo.width }
    /// Images per chunk: the column matrix stays under 4M floats (16 MB).
    var chunk: Int { Swift.max(1, Swift.min(images, ConvPlan.chunkFloats / Swift.max(k * l, 1))) }
    nonisolated(unsafe) static var chunkFloats = 1 << 12

    /// Unfolds images `start..<start+count` of group `group` into `col` (`k × count·l`).
    func unfold(_ x: UnsafePointer<Float>, start: Int, count: Int, group: Int, into col: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            Kernels.im2col(x + (start + i) * imageSize + group * groupInputOffset, geo, col + i * l, rowStride: count * l)
        }
    }

    /// Floats of the unfolded columns of one chunk and group.
    var blockSize: Int { k * chunk * l }
    /// The most column floats kept from forward for backward (32 MB); above it backward unfolds again.
    static let keptColumnLimit = 1 << 23

    /// Runs the forward pass; returns the unfolded columns when `keepColumns` and they fit the
    /// limit, so backward's weight gradient does not unfold the input a second time.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 out: UnsafeMutablePointer<Float>, keepColumns: Bool) -> Tensor? {
        let og = groupOut
        let chunks = (images + chunk - 1) / chunk
        let kept = keepColumns && chunks * groups * blockSize <= ConvPlan.keptColumnLimit
            ? Tensor(uninitializedShape: [chunks * groups * blockSize]) : nil
        let scratch = kept == nil ? Tensor(uninitializedShape: [blockSize]) : nil
        let product = Tensor(uninitializedShape: [og, chunk * l])
        for start in stride(from: 0, to: images, by: chunk) {
            let count = Swift.min(chunk, images - start), width = count * l
            for gr in 0..<groups {
                let col = kept.map { $0.floats + ((start / chunk) * groups + gr) * blockSize } ?? scratch!.floats
                unfold(x, start: start, count: count, group: gr, into: col)
                if count == 1 {
                    // One image: its output block is already [og, l], so multiply straight into it.
                    let dst = out + (start * outChannels + gr * og) * l
                    if let bias { for ch in 0..<og { (dst + ch * l).update(repeating: bias[gr * og + ch], count: l) } }
                    Kernels.gemm(false, false, m: og, n: l, k: k, a: weight + gr * og * k, b: col,
                                 beta: bias == nil ? 0 : 1, c: dst)
                    continue
                }
                Kernels.gemm(false, false, m: og, n: width, k: k, a: weight + gr * og * k, b: col, c: product.floats)
                // [og, images·l] → [images, og, l], adding the bias on the way.
                for i in 0..<count {
                    for ch in 0..<og {
                        let src = product.floats + ch * width + i * l
                        let dst = out + ((start + i) * outChannels + gr * og + ch) * l
                        let b = bias?[gr * og + ch] ?? 0
                        for j in 0..<l { dst[j] = src[j] + b }
                    }
                }
            }
        }
        return kept
    }

    func backward(x: UnsafePointer<Float>, columns: Tensor?, weight: UnsafePointer<Float>, gradOut: UnsafePointer<Float>,
                  gradX: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                  gradBias: UnsafeMutablePointer<Float>?) {
        let og = groupOut
        let col = Tensor(uninitializedShape: [k, chunk * l]), g = Tensor(uninitializedShape: [og, chunk * l])
        gradBias?.update(repeating: 0, count: outChannels)
        // Each group's Wᵀ, transposed once: OpenBLAS would otherwise repack it for every chunk.
        let transposedWeights = gradX == nil ? nil : Tensor(uninitializedShape: [groups, k, og])
        if let wt = transposedWeights {
            for gr in 0..<groups {
                let src = weight + gr * og * k, dst = wt.floats + gr * og * k
                for row in 0..<og { for col in 0..<k { dst[col * og + row] = src[row * k + col] } }
            }
        }
        var first = true
        for start in stride(from: 0, to: images, by: chunk) {
            let count = Swift.min(chunk, images - start), width = count * l
            for gr in 0..<groups {
                // [images, og, l] → [og, images·l]
                for i in 0..<count {
                    for ch in 0..<og {
                        (g.floats + ch * width + i * l).update(from: gradOut + ((start + i) * outChannels + gr * og + ch) * l, count: l)
                    }
                }
                if let gradBias {
                    for ch in 0..<og { gradBias[gr * og + ch] += Kernels.sum(g.floats + ch * width, width) }
                }
                if let gradWeight {
                    var unfolded = UnsafePointer(col.floats)
                    if let columns {
                        unfolded = UnsafePointer(columns.floats + ((start / chunk) * groups + gr) * blockSize)
                    } else {
                        unfold(x, start: start, count: count, group: gr, into: col.floats)
                    }
                    Kernels.gemm(false, true, m: og, n: k, k: width, a: g.floats, b: unfolded,
                                 beta: first ? 0 : 1, c: gradWeight + gr * og * k)
                }
                if let gradX, let wt = transposedWeights {
                    Kernels.gemm(false, false, m: k, n: width, k: og, a: wt.floats + gr * og * k, b: g.floats, c: col.floats)
                    for i in 0..<count {
                        Kernels.col2im(col.floats + i * l, geo, gradX + (start + i) * imageSize + gr * groupInputOffset, rowStride: width)
                    }
                }
            }
            first = false
        }
    }
}

/// 2-D convolution with square stride, padding and dilation.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor {
    conv2d(x, weight: weight, bias: bias, stride: (stride, stride), padding: (padding, padding),
           dilation: (dilation, dilation), groups: groups)
}

/// 1-D convolution: `x` `[N, C, L]`, `weight` `[O, C/groups, k]`, optional `bias` `[O]`.
public func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil,
                   stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) -> Tensor {
    if x.rank != 3 || weight.rank != 3 {
        tensorFailure("conv1d", "expected input [N, C, L] and weight [O, C/groups, k], got \(shapeText(x.shape)) and \(shapeText(weight.shape))")
    }
    let y = conv2d(x.unsqueezed(dim: 2), weight: weight.unsqueezed(dim: 2), bias: bias,
                   stride: (1, stride), padding: (0, padding), dilation: (1, dilation), groups: groups)
    return y.squeezed(dim: 2)
}
