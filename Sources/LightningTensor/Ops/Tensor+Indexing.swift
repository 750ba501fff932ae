/// Joining, slicing and gathering.
extension Tensor {
    /// Concatenates tensors along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        guard let first = tensors.first else { tensorFailure("cat", "expected a non-empty list of tensors") }
        let d = first.normalizedDim(dim, op: "cat")
        for (i, t) in tensors.enumerated() {
            var a = t.shape, b = first.shape
            if a.count == b.count && !a.isEmpty { a[d] = 0; b[d] = 0 }
            t.requireSameDevice(first, op: "cat")
            if a != b || t.dtype != first.dtype {
                tensorFailure("cat", "tensor \(i) has shape \(shapeText(t.shape)) (\(t.dtype)), tensor 0 has \(shapeText(first.shape)) (\(first.dtype)); sizes must match except in dimension \(dim)")
            }
        }
        var outShape = first.shape
        outShape[d] = tensors.reduce(0) { $0 + $1.shape[d] }
        if case .cuda = first.device { return cudaCat(tensors, dim: d, outShape: outShape) }
        let out = Tensor(uninitializedShape: outShape, dtype: first.dtype)
        let (outer, _, inner) = Kernels.split(outShape, d)
        let es = first.dtype.byteSize
        let rowBytes = outShape[d] * inner * es
        var column = 0
        for t in tensors {
            let chunk = t.shape[d] * inner * es
            let src = t.elementBase
            for o in 0..<outer {
                (out.elementBase + o * rowBytes + column).copyMemory(from: src + o * chunk, byteCount: chunk)
            }
            column += chunk
        }
        return recordedCat(out, inputs: tensors, dim: d)
    }

    /// `out`, the concatenation of `tensors` along `d` (on any device), recorded with cat's
    /// gradient: each input gets its slice of the output's gradient.
    static func recordedCat(_ out: Tensor, inputs tensors: [Tensor], dim d: Int) -> Tensor {
        let sizes = tensors.map { $0.shape[d] }
        return recorded("cat", out, inputs: tensors) { g in
            var start = 0
            return sizes.map { size in
                defer { start += size }
                return g.sliced(dim: d, start: start, end: start + size)
            }
        }
    }

    /// Stacks tensors of equal shape along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
        guard let first = tensors.first else { tensorFailure("stack", "expected a non-empty list of tensors") }
        let d = dim < 0 ? dim + first.rank + 1 : dim
        if d < 0 || d > first.rank { tensorFailure("stack", "dimension \(dim) is out of range for tensors of shape \(shapeText(first.shape))") }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            tensorFailure("stack", "tensor \(i) has shape \(shapeText(t.shape)), tensor 0 has \(shapeText(first.shape)); all must be equal")
        }
        return cat(tensors.map { $0.unsqueezed(dim: d) }, dim: d)
    }

    /// Elements `start..<end` (step `step`) along `dim`; negative bounds count from the end.
    public func sliced(dim: Int, start: Int, end: Int? = nil, step: Int = 1) -> Tensor {
        let d = normalizedDim(dim, op: "slice")
        let n = shape[d]
        if step < 1 { tensorFailure("slice", "step must be positive, got \(step)") }
        func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + n : v, 0), n) }
        let lo = clamp(start), hi = Swift.max(clamp(end ?? n), lo)
        let length = (hi - lo + step - 1) / step
        var outShape = shape
        outShape[d] = length
        if case .cuda = device { return cudaSliced(dim: d, lo: lo, length: length, step: step, outShape: outShape) }
        let (outer, _, inner) = Kernels.split(shape, d)
        let es = dtype.byteSize
        let out: Tensor
        if outer == 1 && step == 1 {
            // A contiguous block: a view, no copy.
            out = Tensor(storage: storage, shape: outShape, dtype: dtype, offset: offset + lo * inner)
        } else {
            out = Tensor(uninitializedShape: outShape, dtype: dtype)
        }
        let src = elementBase
        for o in 0..<outer where !(outer == 1 && step == 1) {
            for j in 0..<length {
                (out.elementBase + ((o * length + j) * inner) * es)
                    .copyMemory(from: src + ((o * n + lo + j * step) * inner) * es, byteCount: inner * es)
            }
        }
        let s = shape
        return Tensor.recorded("slice", out, inputs: [self]) { g in
            let grad = Tensor.zeros(s)
            let gz = g.floats, z = grad.floats
            for o in 0..<outer {
                for j in 0..<length {
                    let dst = z + (o * n + lo + j * step) * inner, from = gz + (o * length + j) * inner
                    for i in 0..<inner { dst[i] = from[i] }
                }
            }
            return [grad]
        }
    }

    /// The rows of `dim` listed in the int64 tensor `indices` (1-D).
    public func indexSelect(dim: Int, indices: Tensor) -> Tensor {
        let d = normalizedDim(dim, op: "index_select")
        if indices.dtype != .int64 || indices.rank > 1 {
            tensorFailure("index_select", "indices must be a 1-D int64 tensor, got \(indices.dtype) with shape \(shapeText(indices.shape))")
        }
        let n = shape.isEmpty ? 1 : shape[d]
        indices.requireSameDevice(self, op: "index_select")
        let hostIndices = indices.to(.cpu)
        Tensor.requireIndices(hostIndices, below: n, op: "index_select") { "index \($0) is out of range for dimension \(dim) of size \(n) (shape \(shapeText(self.shape)))" }
        let ix = hostIndices.int64s, k = indices.count
        var outShape = shape
        if !outShape.isEmpty { outShape[d] = k }
        if case .cuda = device, !shape.isEmpty {
            return cudaIndexSelect(dim: d, indices: indices, hostIndices: hostIndices, outShape: outShape, op: "index_select")
        }
        let (outer, _, inner) = shape.isEmpty ? (1, 1, 1) : Kernels.split(shape, d)
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let es = dtype.byteSize
        let src = elementBase
        for o in 0..<outer {
            for j in 0..<k {
                (out.elementBase + ((o * k + j) * inner) * es)
                    .copyMemory(from: src + ((o * n + Int(ix[j])) * inner) * es, byteCount: inner * es)
            }
        }
        let s = shape
        let saved = indices
        return Tensor.recorded("index_select", out, inputs: [self]) { g in
            let grad = Tensor.zeros(s)
            let gz = g.floats, z = grad.floats, ix = saved.int64s
            for o in 0..<outer {
                for j in 0..<k {
                    let dst = z + (o * n + Int(ix[j])) * inner, from = gz + (o * k + j) * inner
                    for i in 0..<inner { dst[i] += from[i] }
                }
            }
            return [grad]
        }
    }

    /// Stops naming `op` with `message(index)` at the first element of the int64 `indices` (in
    /// host memory) outside `0..<n`.
    static func requireIndices(_ indices: Tensor, below n: Int, op: String, _ message: (Int64) -> String) {
        let ix = indices.int64s
        for i in 0..<indices.count where ix[i] < 0 || ix[i] >= n { tensorFailure(op, message(ix[i])) }
    }

    /// The first-dimension rows `range` (a copy), e.g. a mini-batch of a dataset tensor.
    public subscript(rows range: Range<Int>) -> Tensor {
        sliced(dim: 0, start: range.lowerBound, end: range.upperBound)
    }
}
