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
    let cg = c / groups
    let geo = ConvGeometry(channels: cg, height: x.shape[2], width: x.shape[3],
                           kernelH: weight.shape[2], kernelW: weight.shape[3],
                           strideH: stride.0, strideW: stride.1, padH: padding.0, padW: padding.1,
                           dilationH: dilation.0, dilationW: dilation.1)
    if geo.outH < 1 || geo.outW < 1 {
        tensorFailure("conv2d", "input \(shapeText(x.shape)) is smaller than the kernel \(shapeText(weight.shape)) with padding \(padding) and dilation \(dilation)")
    }
    if let bias { x.requireSameDevice(bias, op: "conv2d") }
    if case .cuda = x.device {
        if groups != 1 { tensorFailure("conv2d", "grouped convolution (groups \(groups)) has no CUDA kernel yet; run it on the CPU") }
        return Tensor.cudaConv2d(x, weight: weight, bias: bias, geo: geo)
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

/// How a convolution runs as GEMMs.
///
/// Each image (and group) is unfolded into a `[C/groups·kh·kw, outH·outW]` block and multiplied
/// on its own: the block stays in cache between im2col and GEMM, which measured faster here than
/// one large GEMM over a batch-wide column matrix (whose scattered writes miss the cache and TLB).
/// When gradients are needed the blocks are kept for backward, so the input is unfolded once.
struct ConvPlan {
    let geo: ConvGeometry
    let images: Int, inChannels: Int, outChannels: Int, groups: Int

    var k: Int { geo.columnRows }
    var l: Int { geo.columnCount }
    var groupOut: Int { outChannels / groups }
    var imageSize: Int { inChannels * geo.height * geo.width }
    var groupInputOffset: Int { geo.channels * geo.height * geo.width }

    /// The most column floats kept from forward for backward (32 MB); above it backward unfolds again.
    static let keptColumnLimit = 1 << 23

    /// Runs the forward pass; returns the unfolded columns of every image when `keepColumns`
    /// and they fit ``keptColumnLimit``.
    func forward(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                 out: UnsafeMutablePointer<Float>, keepColumns: Bool) -> Tensor? {
        let og = groupOut, block = k * l
        let keep = keepColumns && images * groups * block <= ConvPlan.keptColumnLimit
        let columns = Tensor(uninitializedShape: [keep ? images * groups * block : block])
        for i in 0..<images {
            for gr in 0..<groups {
                let col = columns.floats + (keep ? (i * groups + gr) * block : 0)
                Kernels.im2col(x + i * imageSize + gr * groupInputOffset, geo, col)
                let dst = out + (i * outChannels + gr * og) * l
                if let bias { for ch in 0..<og { (dst + ch * l).update(repeating: bias[gr * og + ch], count: l) } }
                Kernels.gemm(false, false, m: og, n: l, k: k, a: weight + gr * og * k, b: col,
                             beta: bias == nil ? 0 : 1, c: dst)
            }
        }
        return keep ? columns : nil
    }

    /// Computes the requested gradients from the output gradient (`[images, outChannels, l]`).
    func backward(x: UnsafePointer<Float>, columns: Tensor?, weight: UnsafePointer<Float>, gradOut: UnsafePointer<Float>,
                  gradX: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                  gradBias: UnsafeMutablePointer<Float>?) {
        let og = groupOut, block = k * l
        if let gradBias {
            gradBias.update(repeating: 0, count: outChannels)
            for i in 0..<images {
                for ch in 0..<outChannels { gradBias[ch] += Kernels.sum(gradOut + (i * outChannels + ch) * l, l) }
            }
        }
        if let gradWeight {
            // dW = Σ_images G_i · col_iᵀ; each image's gradient block is already [og, l].
            let scratch = columns == nil ? Tensor(uninitializedShape: [block]) : nil
            for i in 0..<images {
                for gr in 0..<groups {
                    var col = UnsafePointer(scratch?.floats ?? columns!.floats)
                    if let columns {
                        col = UnsafePointer(columns.floats + (i * groups + gr) * block)
                    } else {
                        Kernels.im2col(x + i * imageSize + gr * groupInputOffset, geo, scratch!.floats)
                    }
                    Kernels.gemm(false, true, m: og, n: k, k: l, a: gradOut + (i * outChannels + gr * og) * l,
                                 b: col, beta: i == 0 ? 0 : 1, c: gradWeight + gr * og * k)
                }
            }
        }
        if let gradX {
            // Each group's Wᵀ, transposed once: OpenBLAS would otherwise repack it for every image.
            let wt = Tensor(uninitializedShape: [groups, k, og])
            for gr in 0..<groups {
                let src = weight + gr * og * k, dst = wt.floats + gr * og * k
                for row in 0..<og { for c in 0..<k { dst[c * og + row] = src[row * k + c] } }
            }
            let dcol = Tensor(uninitializedShape: [k, l])
            for i in 0..<images {
                for gr in 0..<groups {
                    Kernels.gemm(false, false, m: k, n: l, k: og, a: wt.floats + gr * og * k,
                                 b: gradOut + (i * outChannels + gr * og) * l, c: dcol.floats)
                    Kernels.col2im(dcol.floats, geo, gradX + i * imageSize + gr * groupInputOffset)
                }
            }
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
