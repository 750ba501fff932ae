/// Geometry of a 2-D convolution or pooling window.
struct ConvGeometry {
    var channels: Int, height: Int, width: Int
    var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var padH: Int, padW: Int
    var dilationH: Int, dilationW: Int

    var outH: Int { (height + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1 }
    var outW: Int { (width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1 }
    /// Rows of the column matrix: one per (channel, ky, kx).
    var columnRows: Int { channels * kernelH * kernelW }
    /// Columns of the column matrix: one per output position.
    var columnCount: Int { outH * outW }
    /// Whether the column matrix is the input itself (1×1, stride 1, no padding).
    var isIdentity: Bool { kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0 }
}

extension Kernels {
    /// Unfolds one image `[channels, height, width]` into `[channels·kh·kw, outH·outW]`.
    static func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, _ col: UnsafeMutablePointer<Float>) {
        let oh = g.outH, ow = g.outW, h = g.height, w = g.width
        var row = 0
        for c in 0..<g.channels {
            let plane = x + c * h * w
            for ky in 0..<g.kernelH {
                for kx in 0..<g.kernelW {
                    let dst = col + row * oh * ow
                    let xOffset = kx * g.dilationW - g.padW
                    // Output columns whose input column is inside the image.
                    let loX = xOffset >= 0 ? 0 : Swift.min(ow, (-xOffset + g.strideW - 1) / g.strideW)
                    let hiX = Swift.max(loX, Swift.min(ow, w - xOffset <= 0 ? 0 : (w - xOffset - 1) / g.strideW + 1))
                    for oy in 0..<oh {
                        let iy = oy * g.strideH - g.padH + ky * g.dilationH
                        let out = dst + oy * ow
                        if iy < 0 || iy >= h {
                            out.update(repeating: 0, count: ow)
                            continue
                        }
                        let src = plane + iy * w + xOffset
                        if loX > 0 { out.update(repeating: 0, count: loX) }
                        if g.strideW == 1 {
                            (out + loX).update(from: src + loX, count: hiX - loX)
                        } else {
                            for ox in loX..<hiX { out[ox] = src[ox * g.strideW] }
                        }
                        if hiX < ow { (out + hiX).update(repeating: 0, count: ow - hiX) }
                    }
                    row += 1
                }
            }
        }
    }

    /// Folds `[channels·kh·kw, outH·outW]` back into an image, adding overlapping entries.
    static func col2im(_ col: UnsafePointer<Float>, _ g: ConvGeometry, _ x: UnsafeMutablePointer<Float>) {
        let oh = g.outH, ow = g.outW, h = g.height, w = g.width
        var row = 0
        for c in 0..<g.channels {
            let plane = x + c * h * w
            for ky in 0..<g.kernelH {
                for kx in 0..<g.kernelW {
                    let src = col + row * oh * ow
                    let xOffset = kx * g.dilationW - g.padW
                    let loX = xOffset >= 0 ? 0 : Swift.min(ow, (-xOffset + g.strideW - 1) / g.strideW)
                    let hiX = Swift.max(loX, Swift.min(ow, w - xOffset <= 0 ? 0 : (w - xOffset - 1) / g.strideW + 1))
                    for oy in 0..<oh {
                        let iy = oy * g.strideH - g.padH + ky * g.dilationH
                        if iy < 0 || iy >= h { continue }
                        let dst = plane + iy * w + xOffset
                        let from = src + oy * ow
                        if g.strideW == 1 {
                            for ox in loX..<hiX { dst[ox] += from[ox] }
                        } else {
                            for ox in loX..<hiX { dst[ox * g.strideW] += from[ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
