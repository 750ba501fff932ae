/// Broadcasting (NumPy/PyTorch rules) for elementwise kernels.
extension Kernels {
    /// The broadcast shape of `a` and `b`, or a failure naming `op` and both shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        if a == b { return a }
        let n = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else {
                tensorFailure(op, "shapes \(shapeText(a)) and \(shapeText(b)) cannot be broadcast (dimension \(i): \(da) vs \(db))")
            }
        }
        return out
    }

    /// Element strides of a tensor of `shape` seen through `outShape` (0 on broadcast dims).
    static func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
        let n = outShape.count
        var strides = [Int](repeating: 0, count: n)
        var running = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            let o = i + (n - shape.count)
            strides[o] = shape[i] == 1 && outShape[o] != 1 ? 0 : running
            running *= shape[i]
        }
        return strides
    }

    /// Calls `row(outOffset, aOffset, bOffset)` for each innermost row of `outShape`; rows have
    /// `outShape.last` elements, advancing `a` by `strideA.last` and `b` by `strideB.last`.
    @inline(__always)
    static func forEachRow(_ outShape: [Int], _ strideA: [Int], _ strideB: [Int],
                           _ row: (Int, Int, Int) -> Void) {
        let n = outShape.count
        if n == 0 { row(0, 0, 0); return }
        let inner = outShape[n - 1]
        let rows = outShape.count == 1 ? 1 : outShape[..<(n - 1)].reduce(1, *)
        if rows == 0 || inner == 0 { return }
        var index = [Int](repeating: 0, count: n)
        var oa = 0, ob = 0
        for r in 0..<rows {
            row(r * inner, oa, ob)
            // Advance the multi-index over the outer dimensions.
            var d = n - 2
            while d >= 0 {
                index[d] += 1
                oa += strideA[d]
                ob += strideB[d]
                if index[d] < outShape[d] { break }
                oa -= strideA[d] * outShape[d]
                ob -= strideB[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// `f(a, b)` elementwise with broadcasting.
    @inline(__always)
    static func binary(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        a.requireSameDevice(b, op: op)
        let shape = broadcastShape(a.shape, b.shape, op: op)
        let out = Tensor(uninitializedShape: shape)
        let x = a.floats, y = b.floats, z = out.floats
        if a.shape == b.shape {
            for i in 0..<out.count { z[i] = f(x[i], y[i]) }
            return out
        }
        if b.count == 1 {
            let s = y[0]
            for i in 0..<out.count { z[i] = f(x[i], s) }
            return out
        }
        if a.count == 1 {
            let s = x[0]
            for i in 0..<out.count { z[i] = f(s, y[i]) }
            return out
        }
        let sa = broadcastStrides(a.shape, to: shape), sb = broadcastStrides(b.shape, to: shape)
        let inner = shape[shape.count - 1]
        let ia = sa[shape.count - 1], ib = sb[shape.count - 1]
        forEachRow(shape, sa, sb) { o, pa, pb in
            if ia == 1 && ib == 1 {
                for j in 0..<inner { z[o + j] = f(x[pa + j], y[pb + j]) }
            } else if ib == 0 {
                let s = y[pb]
                for j in 0..<inner { z[o + j] = f(x[pa + j * ia], s) }
            } else {
                for j in 0..<inner { z[o + j] = f(x[pa + j * ia], y[pb + j * ib]) }
            }
        }
        return out
    }

    /// Sums `g` (of a broadcast result's shape) down to `shape`, undoing broadcasting.
    static func sumTo(_ g: Tensor, _ shape: [Int]) -> Tensor {
        if g.shape == shape { return g }
        let out = Tensor.zeros(shape)
        let strides = broadcastStrides(shape, to: g.shape)
        let x = g.floats, z = out.floats
        let n = g.shape.count
        let inner = g.shape[n - 1], si = strides[n - 1]
        forEachRow(g.shape, [Int](repeating: 0, count: n), strides) { o, _, pz in
            if si == 1 {
                for j in 0..<inner { z[pz + j] += x[o + j] }
            } else {
                var acc: Float = 0
                for j in 0..<inner { acc += x[o + j] }
                z[pz] += acc
            }
        }
        return out
    }

    /// `f(x)` elementwise into a new tensor.
    @inline(__always)
    static func map(_ a: Tensor, _ f: (Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, z = out.floats
        for i in 0..<a.count { z[i] = f(x[i]) }
        return out
    }

    /// `f(x, y)` elementwise for tensors of the same element count.
    @inline(__always)
    static func zip(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, y = b.floats, z = out.floats
        for i in 0..<a.count { z[i] = f(x[i], y[i]) }
        return out
    }

    /// `f(x, y, w)` elementwise for tensors of the same element count.
    @inline(__always)
    static func zip3(_ a: Tensor, _ b: Tensor, _ c: Tensor, _ f: (Float, Float, Float) -> Float) -> Tensor {
        let out = Tensor(uninitializedShape: a.shape)
        let x = a.floats, y = b.floats, w = c.floats, z = out.floats
        for i in 0..<a.count { z[i] = f(x[i], y[i], w[i]) }
        return out
    }
}
