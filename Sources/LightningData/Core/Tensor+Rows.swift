/// Row access by raw memory copies, the data pipeline's hot path.
///
/// Batches are assembled with one `memcpy` per sample row into a preallocated tensor, with no
/// per-element work and no autograd, so loading stays a small fraction of a training step.
extension Tensor {
    /// Elements in one slice along the first dimension.
    var rowElementCount: Int { shape.dropFirst().reduce(1, *) }

    /// Rows along the first dimension (1 for a scalar).
    var rowCount: Int { shape.first ?? 1 }

    /// Row `index` as a view that shares storage (no copy).
    func rowView(_ index: Int) -> Tensor {
        Tensor(storage: storage, shape: Array(shape.dropFirst()), dtype: dtype, offset: offset + index * rowElementCount)
    }

    /// A new tensor holding rows `indices` in that order; `shape[0]` becomes `indices.count`.
    func gatheringRows(_ indices: [Int], op: String) -> Tensor {
        let rows = rowCount
        var outShape = shape
        outShape[0] = indices.count
        let out = Tensor(uninitializedShape: outShape, dtype: dtype)
        let rowBytes = rowElementCount * dtype.byteSize
        let src = UnsafeRawPointer(elementBase)
        var dst = out.elementBase
        for index in indices {
            checkIndex(index, count: rows, op: op)
            dst.copyMemory(from: src + index * rowBytes, byteCount: rowBytes)
            dst += rowBytes
        }
        return out
    }

    /// Samples of one shape and dtype stacked along a new first dimension.
    static func stackingSamples(_ samples: [Tensor], op: String) -> Tensor {
        guard let first = samples.first else {
            tensorFailure(op, "cannot collate an empty list of samples")
        }
        let out = Tensor(uninitializedShape: [samples.count] + first.shape, dtype: first.dtype)
        for (i, sample) in samples.enumerated() {
            if sample.shape != first.shape || sample.dtype != first.dtype {
                tensorFailure(op, "sample \(i) is \(sample.dtype) \(sample.shape) but sample 0 is \(first.dtype) \(first.shape); samples in a batch must match")
            }
            Kernels.copy(from: sample, to: out, atElement: i * first.count)
        }
        return out
    }
}
