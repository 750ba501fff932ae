extension IDX {
    /// Maps any IDX file without reading its data; the header and the file's length are checked
    /// now (a ``DataError`` naming the file and byte offset). Rows convert to `dtype` (default:
    /// integers as int64, floats as float32) when gathered, as ``read(path:as:)`` converts them.
    public static func map(path: String, as dtype: DType? = nil) throws -> MappedArray {
        let file = try MappedFile(path: path)
        let header = try IDXHeader(file.bytes, file: path)
        return MappedArray(file: file, shape: header.shape, element: header.element.stored, dataOffset: header.dataOffset,
                           dtype: dtype ?? header.element.defaultDType)
    }

    /// Maps an MNIST image file; rows gather as float32 pixels in `[0, 1]`, bit-identical to
    /// ``readImages(path:)``.
    public static func mapImages(path: String) throws -> MappedArray {
        let file = try MappedFile(path: path)
        try expectMagic(0x0000_0803, in: file.bytes, file: path, what: "an image file (unsigned bytes, 3 dimensions)")
        let header = try IDXHeader(file.bytes, file: path)
        return MappedArray(file: file, shape: header.shape, element: header.element.stored, dataOffset: header.dataOffset,
                           dtype: .float32, scale: Float(1) / 255)
    }

    /// Maps an MNIST label file; the stored bytes convert to int64 labels when gathered.
    public static func mapLabels(path: String) throws -> MappedArray {
        let file = try MappedFile(path: path)
        try expectMagic(0x0000_0801, in: file.bytes, file: path, what: "a label file (unsigned bytes, 1 dimension)")
        let header = try IDXHeader(file.bytes, file: path)
        return MappedArray(file: file, shape: header.shape, element: header.element.stored, dataOffset: header.dataOffset, dtype: .int64)
    }

    /// `(image, label)` samples gathered from a mapped MNIST image file and label file: the
    /// mapped counterpart of ``dataset(images:labels:)``, with identical batches.
    public static func mappedDataset(images imagesPath: String, labels labelsPath: String) throws -> MappedTensorDataset<(Tensor, Tensor)> {
        let images = try mapImages(path: imagesPath)
        let labels = try mapLabels(path: labelsPath)
        if images.rowCount != labels.rowCount {
            throw DataError(.mismatch, file: labelsPath, "has \(labels.rowCount) labels but \(imagesPath) has \(images.rowCount) images")
        }
        return MappedTensorDataset(images, labels)
    }
}
