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

    /// Calls `body(outputIndex, inputRows, inputColumns)` for each pooling window of one plane,
    /// the window clipped to the image (padding contributes nothing).
    @inline(__always)
    func forEachWindow(_ body: (Int, Range<Int>, Range<Int>) -> Void) {
        for oy in 0..<outH {
            let y0 = oy * strideH - padH
            let rows = Swift.max(y0, 0)..<Swift.min(y0 + kernelH, height)
            for ox in 0..<outW {
                let x0 = ox * strideW - padW
                body(oy * outW + ox, rows, Swift.max(x0, 0)..<Swift.min(x0 + kernelW, width))
            }
        }
    }
}

extension Kernels {
    /// Unfolds one image `[channels, height, width]` into `[channels·kh·kw, outH·outW]`, rows
    /// `rowStride` apart (a batch of images lays its columns side by side in one matrix).
    static func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, _ col: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let oh = g.outH, ow = g.outW, h = g.height, w = g.width
        let ld = rowStride ?? oh &* ow
        let sh = g.strideH, sw = g.strideW
        var row = 0
        for c in 0..<g.channels {
            let plane = x + c &* h &* w
            for ky in 0..<g.kernelH {
                let yOffset = ky &* g.dilationH &- g.padH
                for kx in 0..<g.kernelW {
                    let dst = col + row &* ld
                    let xOffset = kx &* g.dilationW &- g.padW
                    let (loX, hiX) = validRange(offset: xOffset, stride: sw, size: w, count: ow)
                    for oy in 0..<oh {
                        let iy = oy &* sh &+ yOffset
                        let out = dst + oy &* ow
                        if iy < 0 || iy >= h {
                            for ox in 0..<ow { out[ox] = 0 }
                            continue
                        }
                        let src = plane + (iy &* w &+ xOffset)
                        for ox in 0..<loX { out[ox] = 0 }
                        if sw == 1 {
                            copyRow(out + loX, src + loX, hiX &- loX)
                        } else {
                            for ox in loX..<hiX { out[ox] = src[ox &* sw] }
                        }
                        for ox in hiX..<ow { out[ox] = 0 }
                    }
                    row &+= 1
                }
            }
        }
    }

    /// Folds `[channels·kh·kw, outH·outW]` (rows `rowStride` apart) back into an image, adding
    /// overlapping entries.
    static func col2im(_ col: UnsafePointer<Float>, _ g: ConvGeometry, _ x: UnsafeMutablePointer<Float>, rowStride: Int? = nil) {
        let oh = g.outH, ow = g.outW, h = g.height, w = g.width
        let ld = rowStride ?? oh &* ow
        let sh = g.strideH, sw = g.strideW
        var row = 0
        for c in 0..<g.channels {
            let plane = x + c &* h &* w
            for ky in 0..<g.kernelH {
                let yOffset = ky &* g.dilationH &- g.padH
                for kx in 0..<g.kernelW {
                    let src = col + row &* ld
                    let xOffset = kx &* g.dilationW &- g.padW
                    let (loX, hiX) = validRange(offset: xOffset, stride: sw, size: w, count: ow)
                    for oy in 0..<oh {
                        let iy = oy &* sh &+ yOffset
                        if iy < 0 || iy >= h { continue }
                        let dst = plane + (iy &* w &+ xOffset)
                        let from = src + oy &* ow
                        if sw == 1 {
                            addRow(dst + loX, from + loX, hiX &- loX)
                        } else {
                            for ox in loX..<hiX { dst[ox &* sw] += from[ox] }
                        }
                    }
                    row &+= 1
                }
            }
        }
    }

    /// The output positions `lo..<hi` whose input `o·stride + offset` lies inside `0..<size`.
    @inline(__always)
    static func validRange(offset: Int, stride: Int, size: Int, count: Int) -> (Int, Int) {
        let lo = offset >= 0 ? 0 : Swift.min(count, (-offset + stride - 1) / stride)
        let hi = size - offset <= 0 ? 0 : Swift.min(count, (size - offset - 1) / stride + 1)
        return (lo, Swift.max(lo, hi))
    }
}
