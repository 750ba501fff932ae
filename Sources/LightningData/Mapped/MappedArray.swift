/// A row-major array inside a ``MappedFile``: its stored element type, shape and where its bytes
/// start, and how its rows become tensor rows (the dtype, and an optional scale).
///
/// Nothing is read when it is made; ``gatheringRows(_:)`` converts the requested rows straight
/// from the mapping into a new tensor, so a batch costs one copy and the file never sits in
/// process memory twice. Conversions are the ones the in-memory readers apply (`NPY.read`,
/// `IDX.readImages`), element for element, so batches are bit-identical to theirs.
public struct MappedArray: Sendable {
    /// The mapping the array lives in (kept alive by the array).
    public let file: MappedFile
    /// The array's shape; the first dimension is the sample (row) dimension.
    public let shape: [Int]
    /// The dtype rows are converted to.
    public let dtype: DType
    /// How the file stores each element.
    let element: StoredElement
    /// Where the first element lies in the file.
    let dataOffset: Int
    /// A factor applied to float32 rows after conversion (`1/255` for MNIST pixels), or `nil`.
    let scale: Float?

    /// An array of `shape` at `dataOffset`; the caller has checked the file holds all of it.
    init(file: MappedFile, shape: [Int], element: StoredElement, dataOffset: Int, dtype: DType, scale: Float? = nil) {
        precondition(!shape.isEmpty, "MappedArray: a dataset column needs a sample dimension")
        self.file = file
        self.shape = shape
        self.element = element
        self.dataOffset = dataOffset
        self.dtype = dtype
        self.scale = scale
    }

    /// The number of rows (samples).
    public var rowCount: Int { shape[0] }

    /// The shape of one row.
    public var rowShape: [Int] { Array(shape.dropFirst()) }

    /// Elements per row.
    var rowElementCount: Int { shape.dropFirst().reduce(1, *) }

    /// A new tensor of rows `indices` in that order (`shape[0]` becomes `indices.count`), read
    /// from the mapping and converted to ``dtype``.
    public func gatheringRows(_ indices: [Int]) -> Tensor {
        let rowElements = rowElementCount
        let out = Tensor(uninitializedShape: [indices.count] + rowShape, dtype: dtype)
        guard rowElements > 0 else { return out }
        let sourceRowBytes = rowElements * element.byteSize
        for (slot, index) in indices.enumerated() {
            checkIndex(index, count: rowCount, op: "MappedArray")
            let row = Tensor(storage: out.storage, shape: [rowElements], dtype: dtype, offset: slot * rowElements)
            element.decode(file.address(dataOffset + index * sourceRowBytes), count: rowElements, into: row)
        }
        if let scale {
            // A separate pass over the batch (already in cache) keeps `decode` the readers' one.
            let values = out.floats
            for k in 0..<out.count { values[k] = values[k] * scale }
        }
        return out
    }

    /// The whole array read into memory (what the in-memory readers return).
    public func materialized() -> Tensor { gatheringRows(Array(0..<rowCount)) }
}

extension MappedArray {
    /// The same rows, converted to `dtype` when gathered (e.g. uint8 pixels to float32); a
    /// scale is kept only for float32.
    public func converted(to dtype: DType) -> MappedArray {
        MappedArray(file: file, shape: shape, element: element, dataOffset: dataOffset, dtype: dtype,
                    scale: dtype == .float32 ? scale : nil)
    }
}

extension MappedArray {
    /// Converts row `index` into row `slot` of `out` (a contiguous tensor of this array's dtype
    /// and row shape), as ``gatheringRows(_:)`` converts it; lets a batch gather rows from
    /// several arrays (shards) into one tensor.
    func copyRow(_ index: Int, into out: Tensor, slot: Int) {
        let rowElements = rowElementCount
        guard rowElements > 0 else { return }
        checkIndex(index, count: rowCount, op: "MappedArray")
        let row = Tensor(storage: out.storage, shape: [rowElements], dtype: dtype, offset: out.offset + slot * rowElements)
        element.decode(file.address(dataOffset + index * rowElements * element.byteSize), count: rowElements, into: row)
        if let scale {
            let values = row.floats
            for k in 0..<rowElements { values[k] = values[k] * scale }
        }
    }
}
