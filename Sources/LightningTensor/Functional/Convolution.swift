/// 2-D convolution (cross-correlation, as PyTorch): `x` `[N, C, H, W]`, `weight`
/// `[O, C/groups, kh, kw]`, optional `bias` `[O]`.
///
/// Each image is unfolded with im2col and multiplied by the weight with one `sgemm` per group;
/// backward recomputes the columns instead of keeping them, trading a cheap copy for memory.
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
    let k = geo.columnRows, l = geo.columnCount
    let out = Tensor(uninitializedShape: [n, o, geo.outH, geo.outW])
    let col = geo.isIdentity ? nil : Tensor(uninitializedShape: [k, l])
    let xp = x.floats, wp = weight.floats, yp = out.floats
    let imageSize = c * geo.height * geo.width
    for i in 0..<n {
        for gr in 0..<groups {
            let image = xp + i * imageSize + gr * cg * geo.height * geo.width
            let columns: UnsafePointer<Float>
            if let col { Kernels.im2col(image, geo, col.floats); columns = UnsafePointer(col.floats) } else { columns = UnsafePointer(image) }
            let dst = yp + (i * o + gr * og) * l
            var beta: Float = 0
            if let bias {
                let b = bias.floats + gr * og
                for ch in 0..<og { (dst + ch * l).update(repeating: b[ch], count: l) }
                beta = 1
            }
            Kernels.gemm(false, false, m: og, n: l, k: k, a: wp + gr * og * k, b: columns, beta: beta, c: dst)
        }
    }
    let xs = x.detached(), ws = weight.detached()
    let rx = x.requiresGrad, rw = weight.requiresGrad, rb = bias?.requiresGrad ?? false, hasBias = bias != nil
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.recorded("conv2d", out, inputs: inputs) { g, destinations in
        let gp = g.floats
        var gx: Tensor? = nil, gw: Tensor? = nil, gb: Tensor? = nil
        let col = geo.isIdentity ? nil : Tensor(uninitializedShape: [k, l])
        let dcol = geo.isIdentity ? nil : Tensor(uninitializedShape: [k, l])
        if rx { gx = Tensor.zeros(xs.shape) }
        if rw { gw = destinations.destination(1) ?? Tensor(uninitializedShape: ws.shape) }
        for i in 0..<n {
            for gr in 0..<groups {
                let dOut = gp + (i * o + gr * og) * l
                let imageOffset = i * imageSize + gr * cg * geo.height * geo.width
                if let gw {
                    let columns: UnsafePointer<Float>
                    if let col { Kernels.im2col(xs.floats + imageOffset, geo, col.floats); columns = UnsafePointer(col.floats) } else { columns = UnsafePointer(xs.floats + imageOffset) }
                    Kernels.gemm(false, true, m: og, n: k, k: l, a: dOut, b: columns,
                                 beta: i == 0 ? 0 : 1, c: gw.floats + gr * og * k)
                }
                if let gx {
                    if let dcol {
                        Kernels.gemm(true, false, m: k, n: l, k: og, a: ws.floats + gr * og * k, b: dOut, c: dcol.floats)
                        Kernels.col2im(dcol.floats, geo, gx.floats + imageOffset)
                    } else {
                        Kernels.gemm(true, false, m: k, n: l, k: og, a: ws.floats + gr * og * k, b: dOut,
                                     beta: 1, c: gx.floats + imageOffset)
                    }
                }
            }
        }
        if rb {
            let dst = destinations.destination(2) ?? Tensor(uninitializedShape: [o])
            let db = dst.floats
            for ch in 0..<o {
                var acc: Float = 0
                for i in 0..<n {
                    let row = gp + (i * o + ch) * l
                    for j in 0..<l { acc += row[j] }
                }
                db[ch] = acc
            }
            gb = dst
        }
        return hasBias ? [gx, gw, gb] : [gx, gw]
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
