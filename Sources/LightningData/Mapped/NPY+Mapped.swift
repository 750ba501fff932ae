extension NPY {
    /// Maps the `.npy` file at `path` without reading its data: the header is parsed and the
    /// file's size checked against it now, so a truncated or corrupt file throws a ``DataError``
    /// naming the file and the byte offset here, never a `SIGBUS` later.
    ///
    /// Rows convert to `dtype` (default: floats as float32, integers as int64) when gathered,
    /// exactly as ``read(path:as:)`` converts them. See ``MappedFile`` for what not to do with a
    /// file while it is mapped.
    public static func map(path: String, as dtype: DType? = nil) throws -> MappedArray {
        let file = try MappedFile(path: path)
        let header = try NPYHeader(file.bytes, file: path)
        try header.checkDataLength(fileSize: file.byteCount, file: path)
        if header.shape.isEmpty {
            throw DataError(.mismatch, file: path, "holds a scalar; a dataset column needs a sample (first) dimension")
        }
        return MappedArray(file: file, shape: header.shape, element: header.element, dataOffset: header.dataOffset,
                           dtype: dtype ?? header.element.defaultDType)
    }
}
