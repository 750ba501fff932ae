/// Reads IDX files, the format MNIST and Fashion-MNIST ship in (uncompressed: `gunzip` first).
///
/// An IDX file starts with a magic number `0x0000TTDD` (`TT` the element type, `DD` the number
/// of dimensions), then each dimension as a big-endian 32-bit integer, then the big-endian data.
/// A wrong magic number or a length that does not match the header throws a ``DataError``
/// naming the byte offset.
public enum IDX {
    /// Reads any IDX file: unsigned/signed bytes, shorts and ints as int64 (or `dtype`),
    /// floats and doubles as float32 (or `dtype`).
    public static func read(path: String, as dtype: DType? = nil) throws -> Tensor {
        try decode(readFileBytes(path), file: path, as: dtype)
    }

    /// Reads an MNIST image file (magic `0x00000803`: unsigned bytes, `[count, rows, cols]`) as
    /// float32 pixels scaled to `[0, 1]`.
    public static func readImages(path: String) throws -> Tensor {
        let bytes = try readFileBytes(path)
        try expectMagic(0x0000_0803, in: bytes, file: path, what: "an image file (unsigned bytes, 3 dimensions)")
        let header = try bytes.withUnsafeBytes { try IDXHeader($0, file: path) }
        let out = Tensor(uninitializedShape: header.shape, dtype: .float32)
        let dst = out.floats
        bytes.withUnsafeBufferPointer { src in
            for k in 0..<header.elementCount { dst[k] = Float(src[header.dataOffset + k]) * (1 / 255) }
        }
        return out
    }

    /// Reads an MNIST label file (magic `0x00000801`: unsigned bytes, `[count]`) as int64.
    public static func readLabels(path: String) throws -> Tensor {
        let bytes = try readFileBytes(path)
        try expectMagic(0x0000_0801, in: bytes, file: path, what: "a label file (unsigned bytes, 1 dimension)")
        return try decode(bytes, file: path, as: .int64)
    }

    /// `(image, label)` samples from an MNIST image file and label file of the same length.
    public static func dataset(images imagesPath: String, labels labelsPath: String) throws -> TensorDataset<(Tensor, Tensor)> {
        let images = try readImages(path: imagesPath)
        let labels = try readLabels(path: labelsPath)
        if images.shape[0] != labels.shape[0] {
            throw DataError(.mismatch, file: labelsPath,
                            "has \(labels.shape[0]) labels but \(imagesPath) has \(images.shape[0]) images")
        }
        return TensorDataset(images, labels)
    }

    /// Decodes IDX bytes already in memory; `file` names them in errors.
    public static func decode(_ bytes: [UInt8], file: String, as dtype: DType? = nil) throws -> Tensor {
        let header = try bytes.withUnsafeBytes { try IDXHeader($0, file: file) }
        let out = Tensor(uninitializedShape: header.shape, dtype: dtype ?? header.element.defaultDType)
        bytes.withUnsafeBytes { raw in
            header.element.stored.decode(raw.baseAddress! + header.dataOffset, count: header.elementCount, into: out)
        }
        return out
    }

    /// Throws unless the file's first four bytes are `magic`.
    static func expectMagic(_ magic: UInt32, in bytes: [UInt8], file: String, what: String) throws {
        try bytes.withUnsafeBytes { try expectMagic(magic, in: $0, file: file, what: what) }
    }

    /// Throws unless the first four bytes of `bytes` (a whole file, in memory or mapped) are `magic`.
    static func expectMagic(_ magic: UInt32, in bytes: UnsafeRawBufferPointer, file: String, what: String) throws {
        guard bytes.count >= 4 else {
            throw DataError(.malformed, file: file, at: .byteOffset(0), "\(bytes.count) bytes is too short for the 4-byte magic number")
        }
        let found = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        if found != magic {
            throw DataError(.malformed, file: file, at: .byteOffset(0),
                            "magic number \(hex(found)) is wrong for \(what), which starts with \(hex(magic))")
        }
    }
}

/// `0x00000803`.
func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
