import Safetensors

extension MappedTensorDataset where Element == (Tensor, Tensor) {
    /// `(input, target)` samples from the tensors named `input` and `target` in a mapped
    /// safetensors file: the header is validated against the file's size now, the data is read
    /// only as batches gather it. Inputs convert to float32 and targets to `targetDType`.
    public init(safetensorsFile path: String, input: String = "x", target: String = "y", targetDType: DType? = nil) throws {
        let columns = try mapSafetensorsColumns(path, names: [input, target])
        self.init(columns[0].converted(to: .float32), targetDType.map { columns[1].converted(to: $0) } ?? columns[1])
    }
}

extension MappedTensorDataset where Element == [Tensor] {
    /// Samples holding one row of each named tensor of a mapped safetensors file, in the order of `names`.
    public init(safetensorsFile path: String, names: [String]) throws {
        self.init(arrays: try mapSafetensorsColumns(path, names: names))
    }
}

/// Maps a safetensors file and finds `names` in it, checking each exists and has rows, and that
/// they share a first dimension; codec errors become ``DataError``s naming the file.
func mapSafetensorsColumns(_ path: String, names: [String]) throws -> [MappedArray] {
    let file = try MappedFile(path: path)
    let header: SafetensorsHeader
    do {
        // Validates every entry's offsets against the file's size, so no row can lie past its end.
        header = try SafetensorsHeader(file: file.bytes)
    } catch let error as SafetensorsError {
        throw DataError(.malformed, file: path, error.description)
    }
    var columns: [MappedArray] = []
    for name in names {
        guard let entry = header.entries.first(where: { $0.name == name }) else {
            throw DataError(.mismatch, file: path, "no tensor named '\(name)' (the file has: \(header.entries.map(\.name).joined(separator: ", ")))")
        }
        if entry.shape.isEmpty {
            throw DataError(.mismatch, file: path, "tensor '\(name)' is a scalar; a dataset column needs a sample dimension")
        }
        if let first = columns.first, first.rowCount != entry.shape[0] {
            throw DataError(.mismatch, file: path, "tensor '\(name)' has \(entry.shape[0]) rows but '\(names[0])' has \(first.rowCount)")
        }
        let element = StoredElement(entry.dtype)
        columns.append(MappedArray(file: file, shape: entry.shape, element: element,
                                   dataOffset: header.dataStart + entry.dataOffsets.lowerBound, dtype: element.defaultDType))
    }
    return columns
}
