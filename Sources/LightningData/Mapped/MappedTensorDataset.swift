/// A dataset over row-major arrays in mapped files (``MappedArray``) that share their first
/// dimension; sample `i` is row `i` of each. The memory-mapped counterpart of ``TensorDataset``.
///
/// Opening costs the headers; a batch gathers its rows straight from the mappings into the batch
/// tensors (one copy, the one a batch needs anyway), and every rank on a node shares the file's
/// pages through the page cache. Batches are bit-identical to a ``TensorDataset`` over the same
/// arrays read into memory, for the same sampler and seed. Splits (``Subset``,
/// ``DatasetSplits``) are index lists over it and copy nothing.
public struct MappedTensorDataset<Element>: Dataset {
    /// The underlying arrays, each with `count` rows.
    public let arrays: [MappedArray]
    /// The number of samples (rows).
    public let count: Int
    /// Builds a sample or a batch from one tensor per column.
    let assemble: ([Tensor]) -> Element
    /// Whether each batch releases the mapped pages before its first row (``releasingPagesBehind()``).
    public private(set) var releasesPagesBehind = false

    /// Wraps `arrays` after checking their first dimensions agree.
    init(checking arrays: [MappedArray], assemble: @escaping ([Tensor]) -> Element) {
        guard let first = arrays.first else { tensorFailure("MappedTensorDataset", "needs at least one array") }
        for (i, a) in arrays.enumerated() where a.rowCount != first.rowCount {
            tensorFailure("MappedTensorDataset", "size mismatch between arrays: \(first.file.path) has \(first.rowCount) rows (shape \(first.shape)), \(a.file.path) has \(a.rowCount) (shape \(a.shape), array \(i))")
        }
        self.arrays = arrays
        self.count = first.rowCount
        self.assemble = assemble
    }

    /// Sample `index`: row `index` of every array, copied out of the mapping.
    public subscript(index: Int) -> Element {
        checkIndex(index, count: count, op: "MappedTensorDataset")
        return assemble(arrays.map { array in
            let row = array.gatheringRows([index])
            return Tensor(storage: row.storage, shape: array.rowShape, dtype: row.dtype)
        })
    }

    /// Rows `indices` of every array gathered from the mappings into new batch tensors.
    public func batch(at indices: [Int]) -> Element? {
        let batch = assemble(arrays.map { $0.gatheringRows(indices) })
        if releasesPagesBehind, let first = indices.min() {
            for array in arrays { array.releaseResidentPages(beforeRow: first) }
        }
        return batch
    }

    /// This dataset, for reading once in ascending order (inference over a file, a rank's
    /// contiguous block of it): after each batch, the process stops mapping the pages before the
    /// batch's first row, so its resident memory stays a few batches whatever the file's size.
    /// The pages stay in the page cache; reading them again (another order, another epoch) is
    /// correct, only slower by a minor fault per page.
    public func releasingPagesBehind() -> MappedTensorDataset {
        var copy = self
        copy.releasesPagesBehind = true
        return copy
    }
}

extension MappedTensorDataset where Element == Tensor {
    /// A dataset whose samples are the rows of `array`.
    public init(_ array: MappedArray) {
        self.init(checking: [array]) { $0[0] }
    }
}

extension MappedTensorDataset where Element == (Tensor, Tensor) {
    /// A dataset of `(input, target)` pairs, e.g. float32 features and int64 labels.
    public init(_ first: MappedArray, _ second: MappedArray) {
        self.init(checking: [first, second]) { ($0[0], $0[1]) }
    }

    /// Inputs without targets (inference on new data), as `(input, target)` pairs whose target
    /// is empty: shape `[0]` for a sample, `[n, 0]` for a batch of `n`, of `targetDType`.
    public init(unlabeled inputs: MappedArray, targetDType: DType) {
        let sampleRank = inputs.rowShape.count
        self.init(checking: [inputs]) { columns in
            let input = columns[0]
            let leading = input.rank > sampleRank ? [input.shape[0]] : []
            return (input, Tensor(uninitializedShape: leading + [0], dtype: targetDType))
        }
    }
}

extension MappedTensorDataset where Element == [Tensor] {
    /// A dataset whose samples hold one row of each of any number of arrays.
    public init(arrays: [MappedArray]) {
        self.init(checking: arrays) { $0 }
    }
}
