/// Shape operations: reshape, flatten, squeeze, transpose, permute.
extension Tensor {
    /// The same elements in a new shape (one dimension may be `-1`); shares storage.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        if unknown.count > 1 { tensorFailure("reshape", "only one dimension can be -1, got \(shapeText(newShape))") }
        let known = newShape.filter { $0 != -1 }
        if known.contains(where: { $0 < 0 }) { tensorFailure("reshape", "invalid shape \(shapeText(newShape))") }
        let product = known.reduce(1, *)
        if let u = unknown.first {
            if product == 0 || count % product != 0 {
                tensorFailure("reshape", "shape \(shapeText(newShape)) is invalid for input of size \(count) (shape \(shapeText(shape)))")
            }
            resolved[u] = count / product
        } else if product != count {
            tensorFailure("reshape", "shape \(shapeText(newShape)) is invalid for input of size \(count) (shape \(shapeText(shape)))")
        }
        if resolved == shape { return self }
        let view = Tensor(storage: storage, shape: resolved, dtype: dtype, offset: offset)
        let original = shape
        return Tensor.recorded("reshape", view, inputs: [self]) { g in [g.reshaped(to: original)] }
    }

    /// Collapses dimensions `startDim...endDim` into one.
    public func flattened(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if shape.isEmpty { return reshaped(to: [1]) }
        let s = normalizedDim(startDim, op: "flatten"), e = normalizedDim(endDim, op: "flatten")
        if s > e { tensorFailure("flatten", "startDim \(startDim) comes after endDim \(endDim) for shape \(shapeText(shape))") }
        let merged = shape[s...e].reduce(1, *)
        return reshaped(to: Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// Inserts a dimension of size 1 at `dim`.
    public func unsqueezed(dim: Int) -> Tensor {
        let d = dim < 0 ? dim + rank + 1 : dim
        if d < 0 || d > rank { tensorFailure("unsqueeze", "dimension \(dim) is out of range for shape \(shapeText(shape))") }
        var s = shape
        s.insert(1, at: d)
        return reshaped(to: s)
    }

    /// Removes dimension `dim` if its size is 1 (or every size-1 dimension when `dim` is nil).
    public func squeezed(dim: Int? = nil) -> Tensor {
        if let dim {
            let d = normalizedDim(dim, op: "squeeze")
            if shape.isEmpty || shape[d] != 1 { return self }
            var s = shape
            s.remove(at: d)
            return reshaped(to: s)
        }
        return reshaped(to: shape.filter { $0 != 1 })
    }

    /// Swaps two dimensions (a copy: every tensor here is contiguous).
    public func transposed(_ dim0: Int, _ dim1: Int) -> Tensor {
        let a = normalizedDim(dim0, op: "transpose"), b = normalizedDim(dim1, op: "transpose")
        if shape.isEmpty { return self }
        var order = Array(0..<rank)
        order.swapAt(a, b)
        return permuted(order, op: "transpose")
    }

    /// The transpose of a 2-D tensor.
    public func transposed() -> Tensor {
        if rank != 2 { tensorFailure("transpose", "transposed() needs a 2-D tensor, got shape \(shapeText(shape)); pass two dimensions") }
        return transposed(0, 1)
    }

    /// Reorders dimensions: result dimension `i` is input dimension `order[i]`.
    public func permuted(_ order: [Int]) -> Tensor { permuted(order, op: "permute") }

    func permuted(_ order: [Int], op: String) -> Tensor {
        if order.count != rank {
            tensorFailure(op, "permutation \(order) has \(order.count) dimensions, tensor has shape \(shapeText(shape))")
        }
        let dims = order.map { normalizedDim($0, op: op) }
        if Set(dims).count != rank { tensorFailure(op, "\(order) is not a permutation of the dimensions of \(shapeText(shape))") }
        if dims == Array(0..<rank) { return self }
        var inverse = [Int](repeating: 0, count: rank)
        for (i, d) in dims.enumerated() { inverse[d] = i }
        if case .cuda = device, dtype == .float32, rank <= 8 {
            return Tensor.recorded(op, CUDAKernels.permute(self, dims), inputs: [self]) { g in [CUDAKernels.permute(g, inverse)] }
        }
        let out = Kernels.permute(self, dims)
        return Tensor.recorded(op, out, inputs: [self]) { g in [Kernels.permute(g, inverse)] }
    }
}

extension Kernels {
    /// A contiguous copy of `a` with dimensions reordered by `order`.
    static func permute(_ a: Tensor, _ order: [Int]) -> Tensor {
        let n = a.rank
        var inStrides = [Int](repeating: 1, count: n)
        for i in stride(from: n - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * a.shape[i + 1] }
        let outShape = order.map { a.shape[$0] }
        let srcStrides = order.map { inStrides[$0] }
        let out = Tensor(uninitializedShape: outShape, dtype: a.dtype)
        let elementSize = a.dtype.byteSize
        let src = a.elementBase, dst = out.elementBase
        let zeros = [Int](repeating: 0, count: n)
        let inner = outShape[n - 1], innerStride = srcStrides[n - 1]
        if elementSize == 4 {
            let s = src.assumingMemoryBound(to: Float.self), d = dst.assumingMemoryBound(to: Float.self)
            forEachRow(outShape, srcStrides, zeros) { o, p, _ in
                for j in 0..<inner { d[o + j] = s[p + j * innerStride] }
            }
        } else {
            let s = src.assumingMemoryBound(to: Int64.self), d = dst.assumingMemoryBound(to: Int64.self)
            forEachRow(outShape, srcStrides, zeros) { o, p, _ in
                for j in 0..<inner { d[o + j] = s[p + j * innerStride] }
            }
        }
        return out
    }
}
