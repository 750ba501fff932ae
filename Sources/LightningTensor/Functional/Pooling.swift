/// 2-D max pooling over `[N, C, H, W]` (PyTorch's floor mode); padding is implicit −∞.
public func maxPool2d(_ x: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil,
                      padding: (Int, Int) = (0, 0)) -> Tensor {
    let geo = poolGeometry("max_pool2d", x, kernelSize, stride ?? kernelSize, padding)
    if case .cuda = x.device { return Tensor.cudaMaxPool2d(x, geo: geo) }
    let planes = x.shape[0] * x.shape[1]
    let oh = geo.outH, ow = geo.outW, h = geo.height, w = geo.width
    let out = Tensor(uninitializedShape: [x.shape[0], x.shape[1], oh, ow])
    // Each output remembers which input element won, as an offset within its plane.
    let argmax = UnsafeMutablePointer<Int32>.allocate(capacity: planes * oh * ow)
    let xp = x.floats, yp = out.floats
    if geo.kernelH == 2 && geo.kernelW == 2 && geo.strideH == 2 && geo.strideW == 2 && geo.padH == 0 && geo.padW == 0 {
        maxPool2x2(xp, yp, argmax, planes: planes, h: h, w: w, oh: oh, ow: ow)
    } else {
        for p in 0..<planes {
            let plane = xp + p * h * w
            geo.forEachWindow { o, rows, cols in
                var best = -Float.infinity, bestIndex = rows.lowerBound * w + cols.lowerBound
                for iy in rows {
                    for ix in cols {
                        let v = plane[iy * w + ix]
                        if v > best || v.isNaN { best = v; bestIndex = iy * w + ix; if v.isNaN { break } }
                    }
                }
                yp[p * oh * ow + o] = best
                argmax[p * oh * ow + o] = Int32(bestIndex)
            }
        }
    }
    let indices = PoolIndices(pointer: argmax)
    let shape = x.shape
    return Tensor.recorded("max_pool2d", out, inputs: [x]) { g in
        let grad = Tensor.zeros(shape)
        let gp = g.floats, dp = grad.floats, ix = indices.pointer
        for p in 0..<planes {
            let plane = dp + p * h * w
            for j in 0..<(oh * ow) { plane[Int(ix[p * oh * ow + j])] += gp[p * oh * ow + j] }
        }
        return [grad]
    }
}

/// The common 2×2, stride-2 window without padding, unrolled.
private func maxPool2x2(_ xp: UnsafeMutablePointer<Float>, _ yp: UnsafeMutablePointer<Float>,
                        _ argmax: UnsafeMutablePointer<Int32>, planes: Int, h: Int, w: Int, oh: Int, ow: Int) {
    // Branch-free selects: with random data, compare-and-branch mispredicts half the time.
    for p in 0..<planes {
        let plane = xp + p &* h &* w
        for oy in 0..<oh {
            let r0 = plane + 2 &* oy &* w, r1 = r0 + w
            let base = Int32(truncatingIfNeeded: 2 &* oy &* w)
            let wide = Int32(truncatingIfNeeded: w)
            let y = yp + (p &* oh &+ oy) &* ow, ix = argmax + (p &* oh &+ oy) &* ow
            for ox in 0..<ow {
                let col = Int32(truncatingIfNeeded: 2 &* ox)
                let a = r0[2 &* ox], b = r0[2 &* ox &+ 1], c = r1[2 &* ox], d = r1[2 &* ox &+ 1]
                let topB = b > a, top = topB ? b : a, topIndex = topB ? col &+ 1 : col
                let bottomD = d > c, bottom = bottomD ? d : c, bottomIndex = bottomD ? wide &+ col &+ 1 : wide &+ col
                let lower = bottom > top
                y[ox] = lower ? bottom : top
                ix[ox] = base &+ (lower ? bottomIndex : topIndex)
                // NaN propagates, as in PyTorch (rare: fix up after the select).
                if (a + b + c + d).isNaN {
                    let values = [a, b, c, d], offsets = [col, col &+ 1, wide &+ col, wide &+ col &+ 1]
                    if let k = values.firstIndex(where: { $0.isNaN }) {
                        y[ox] = values[k]
                        ix[ox] = base &+ offsets[k]
                    }
                }
            }
        }
    }
}

/// Owns the argmax offsets a max-pool backward needs (freed with the graph).
final class PoolIndices {
    let pointer: UnsafeMutablePointer<Int32>
    init(pointer: UnsafeMutablePointer<Int32>) { self.pointer = pointer }
    deinit { pointer.deallocate() }
}

/// 2-D max pooling with a square window.
public func maxPool2d(_ x: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    maxPool2d(x, kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
}

/// 2-D average pooling over `[N, C, H, W]`; padded zeros count in the average (PyTorch's default).
public func avgPool2d(_ x: Tensor, kernelSize: (Int, Int), stride: (Int, Int)? = nil,
                      padding: (Int, Int) = (0, 0)) -> Tensor {
    let geo = poolGeometry("avg_pool2d", x, kernelSize, stride ?? kernelSize, padding)
    if case .cuda = x.device { return Tensor.cudaAvgPool2d(x, geo: geo) }
    let planes = x.shape[0] * x.shape[1]
    let oh = geo.outH, ow = geo.outW, h = geo.height, w = geo.width
    let out = Tensor(uninitializedShape: [x.shape[0], x.shape[1], oh, ow])
    let scale = 1 / Float(geo.kernelH * geo.kernelW)
    let xp = x.floats, yp = out.floats
    for p in 0..<planes {
        let plane = xp + p * h * w
        geo.forEachWindow { o, rows, cols in
            var acc: Float = 0
            for iy in rows { for ix in cols { acc += plane[iy * w + ix] } }
            yp[p * oh * ow + o] = acc * scale
        }
    }
    let shape = x.shape
    return Tensor.recorded("avg_pool2d", out, inputs: [x]) { g in
        let grad = Tensor.zeros(shape)
        let gp = g.floats, dp = grad.floats
        for p in 0..<planes {
            let plane = dp + p * h * w
            geo.forEachWindow { o, rows, cols in
                let v = gp[p * oh * ow + o] * scale
                for iy in rows { for ix in cols { plane[iy * w + ix] += v } }
            }
        }
        return [grad]
    }
}

/// 2-D average pooling with a square window.
public func avgPool2d(_ x: Tensor, kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    avgPool2d(x, kernelSize: (kernelSize, kernelSize), stride: stride.map { ($0, $0) }, padding: (padding, padding))
}

/// Average pooling to a fixed output size, with PyTorch's window bounds
/// `[floor(i·H/out), ceil((i+1)·H/out))`.
public func adaptiveAvgPool2d(_ x: Tensor, outputSize: (Int, Int)) -> Tensor {
    x.requireDType(.float32, op: "adaptive_avg_pool2d")
    if x.rank != 4 { tensorFailure("adaptive_avg_pool2d", "expected input [N, C, H, W], got \(shapeText(x.shape))") }
    let (oh, ow) = outputSize
    if oh < 1 || ow < 1 { tensorFailure("adaptive_avg_pool2d", "output size must be positive, got \(outputSize)") }
    let planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3]
    let out = Tensor(uninitializedShape: [x.shape[0], x.shape[1], oh, ow])
    func bounds(_ i: Int, _ size: Int, _ outSize: Int) -> (Int, Int) {
        (i * size / outSize, ((i + 1) * size + outSize - 1) / outSize)
    }
    let xp = x.floats, yp = out.floats
    for p in 0..<planes {
        for oy in 0..<oh {
            let (ys, ye) = bounds(oy, h, oh)
            for ox in 0..<ow {
                let (xs, xe) = bounds(ox, w, ow)
                var acc: Float = 0
                for iy in ys..<ye { for ix in xs..<xe { acc += xp[(p * h + iy) * w + ix] } }
                yp[(p * oh + oy) * ow + ox] = acc / Float((ye - ys) * (xe - xs))
            }
        }
    }
    let shape = x.shape
    return Tensor.recorded("adaptive_avg_pool2d", out, inputs: [x]) { g in
        let grad = Tensor.zeros(shape)
        let gp = g.floats, dp = grad.floats
        for p in 0..<planes {
            for oy in 0..<oh {
                let (ys, ye) = bounds(oy, h, oh)
                for ox in 0..<ow {
                    let (xs, xe) = bounds(ox, w, ow)
                    let v = gp[(p * oh + oy) * ow + ox] / Float((ye - ys) * (xe - xs))
                    for iy in ys..<ye { for ix in xs..<xe { dp[(p * h + iy) * w + ix] += v } }
                }
            }
        }
        return [grad]
    }
}

/// Validates a pooling call and returns its geometry.
private func poolGeometry(_ op: String, _ x: Tensor, _ kernel: (Int, Int), _ stride: (Int, Int), _ padding: (Int, Int)) -> ConvGeometry {
    x.requireDType(.float32, op: op)
    if x.rank != 4 { tensorFailure(op, "expected input [N, C, H, W], got \(shapeText(x.shape))") }
    if kernel.0 < 1 || kernel.1 < 1 || stride.0 < 1 || stride.1 < 1 {
        tensorFailure(op, "kernel size and stride must be positive, got kernel \(kernel), stride \(stride)")
    }
    if padding.0 < 0 || padding.1 < 0 || padding.0 * 2 > kernel.0 || padding.1 * 2 > kernel.1 {
        tensorFailure(op, "padding should be at most half of the kernel size, got padding \(padding), kernel \(kernel)")
    }
    let geo = ConvGeometry(channels: x.shape[1], height: x.shape[2], width: x.shape[3],
                           kernelH: kernel.0, kernelW: kernel.1, strideH: stride.0, strideW: stride.1,
                           padH: padding.0, padW: padding.1, dilationH: 1, dilationW: 1)
    if geo.outH < 1 || geo.outW < 1 {
        tensorFailure(op, "input \(shapeText(x.shape)) is smaller than the window \(kernel) with padding \(padding)")
    }
    return geo
}
