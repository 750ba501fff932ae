/// The parsed header of an IDX file: element type, shape and where the data starts.
struct IDXHeader {
    let element: IDXElement
    let shape: [Int]
    let elementCount: Int
    let dataOffset: Int

    /// Checks the magic number, reads the dimensions and checks the file length against them.
    ///
    /// `bytes` is the whole file; only the header's bytes are read.
    init(_ bytes: UnsafeRawBufferPointer, file: String) throws {
        guard bytes.count >= 4 else {
            throw DataError(.malformed, file: file, at: .byteOffset(0), "\(bytes.count) bytes is too short for the 4-byte magic number")
        }
        let magic = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard bytes[0] == 0 && bytes[1] == 0 else {
            throw DataError(.malformed, file: file, at: .byteOffset(0),
                            "wrong magic number \(hex(magic)): an IDX file starts with two zero bytes (is it still gzip-compressed?)")
        }
        guard let element = IDXElement(rawValue: bytes[2]) else {
            throw DataError(.malformed, file: file, at: .byteOffset(2),
                            "wrong magic number \(hex(magic)): unknown element type 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3])
        guard rank > 0 else {
            throw DataError(.malformed, file: file, at: .byteOffset(3), "wrong magic number \(hex(magic)): zero dimensions")
        }
        let dataOffset = 4 + 4 * rank
        guard bytes.count >= dataOffset else {
            throw DataError(.malformed, file: file, at: .byteOffset(bytes.count),
                            "truncated header: \(rank) dimensions need \(dataOffset) header bytes, the file has \(bytes.count)")
        }
        let shape = (0..<rank).map { d in bytes[4 + 4 * d..<8 + 4 * d].reduce(0) { $0 << 8 | Int($1) } }
        guard let count = checkedElementCount(shape, elementSize: element.byteSize) else {
            throw DataError(.malformed, file: file, at: .byteOffset(4), "dimensions \(shape) are too large")
        }
        let needed = count * element.byteSize
        let available = bytes.count - dataOffset
        if available != needed {
            throw DataError(.malformed, file: file, at: .byteOffset(available < needed ? bytes.count : dataOffset + needed),
                            "length does not match the header: dimensions \(shape) of \(element) need \(needed) data bytes from byte \(dataOffset), the file has \(available)")
        }
        self.element = element
        self.shape = shape
        self.elementCount = count
        self.dataOffset = dataOffset
    }
}

/// IDX element types (the third magic byte); all multi-byte values are big-endian.
enum IDXElement: UInt8, CustomStringConvertible {
    case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

    /// Bytes per element.
    var byteSize: Int { stored.byteSize }

    /// Integers as int64, floats as float32.
    var defaultDType: DType { stored.defaultDType }

    /// The type's name, `unsigned byte`, …
    var description: String {
        switch self {
        case .uint8: return "unsigned byte"
        case .int8: return "signed byte"
        case .int16: return "short"
        case .int32: return "int"
        case .float32: return "float"
        case .float64: return "double"
        }
    }

    /// How the file stores these elements (big-endian).
    var stored: StoredElement {
        switch self {
        case .uint8: return StoredElement(.uint8, bigEndian: true)
        case .int8: return StoredElement(.int8, bigEndian: true)
        case .int16: return StoredElement(.int16, bigEndian: true)
        case .int32: return StoredElement(.int32, bigEndian: true)
        case .float32: return StoredElement(.float32, bigEndian: true)
        case .float64: return StoredElement(.float64, bigEndian: true)
        }
    }
}
