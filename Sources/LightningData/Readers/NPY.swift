/// Reads and writes NumPy `.npy` files (format versions 1.0–3.0, C order).
///
/// Element types read: `f4`, `f8` (as float32) and `i1`, `i2`, `i4`, `i8`, `u1`, `u2`, `u4`,
/// `b1` (as int64), either byte order; pass `as:` to convert, e.g. uint8 images to float32.
/// Anything else (complex, strings, objects, `u8`, `f2`, structured), Fortran order, a bad
/// magic string or a data length that does not match the header throws a ``DataError``.
public enum NPY {
    /// Reads the array in the `.npy` file at `path`.
    ///
    /// - Parameter dtype: the tensor's dtype; `nil` keeps floats as float32 and integers as int64.
    public static func read(path: String, as dtype: DType? = nil) throws -> Tensor {
        try decode(readFileBytes(path), file: path, as: dtype)
    }

    /// Decodes `.npy` bytes already in memory; `file` names them in errors.
    public static func decode(_ bytes: [UInt8], file: String, as dtype: DType? = nil) throws -> Tensor {
        let header = try bytes.withUnsafeBytes { try NPYHeader($0, file: file) }
        try header.checkDataLength(fileSize: bytes.count, file: file)
        let elementCount = header.elementCount
        let target = dtype ?? header.element.defaultDType
        let out = Tensor(uninitializedShape: header.shape, dtype: target)
        bytes.withUnsafeBytes { raw in
            header.element.decode(raw.baseAddress! + header.dataOffset, count: elementCount, into: out)
        }
        return out
    }

    /// Writes `tensor` as a version 1.0 `.npy` file (`<f4` or `<i8`, C order) that NumPy loads.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try writeFileBytes(encode(tensor), to: path)
    }

    /// The `.npy` bytes of `tensor`.
    public static func encode(_ tensor: Tensor) -> [UInt8] {
        var bytes = header(dtype: tensor.dtype, shape: tensor.shape)
        tensor.withUnsafeBytes { bytes += $0 }
        return bytes
    }

    /// The bytes before the data of a version 1.0 `.npy` file of `dtype` (`<f4` or `<i8`) and
    /// `shape`, C order: a writer that fills the rows itself (at `header.count + row * rowBytes`)
    /// writes the file ``encode(_:)`` would.
    public static func header(dtype: DType, shape: [Int]) -> [UInt8] {
        let descr = dtype == .float32 ? "<f4" : "<i8"
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // The format pads the header with spaces so the data starts on a 64-byte boundary.
        let unpadded = 10 + dict.utf8.count + 1
        dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(dict.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(dict.utf8)
        return bytes
    }
}
