/// The parsed preamble of an `.npy` file: element type, shape and where the data starts.
struct NPYHeader {
    let descr: String
    let element: StoredElement
    let shape: [Int]
    let elementCount: Int
    let dataOffset: Int

    /// Parses the magic string, version, header length and the header's Python dict literal.
    ///
    /// `bytes` is the whole file; only the header's bytes are read, so a mapped file's data
    /// pages stay untouched.
    init(_ bytes: UnsafeRawBufferPointer, file: String) throws {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw DataError(.malformed, file: file, at: .byteOffset(0), "not an .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else {
                throw DataError(.malformed, file: file, at: .byteOffset(8), "truncated before the 4-byte header length")
            }
            headerStart = 12
            headerLength = (8..<12).reduce(0) { $0 | Int(bytes[$1]) << (8 * ($1 - 8)) }
        default:
            throw DataError(.unsupported, file: file, at: .byteOffset(6), "format version \(major).\(bytes[7]) is not supported (1.0–3.0 are)")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw DataError(.malformed, file: file, at: .byteOffset(8),
                            "header length \(headerLength) runs past the end of the \(bytes.count)-byte file")
        }
        let text = String(decoding: bytes[headerStart..<headerStart + headerLength], as: UTF8.self)
        var dict = NPYDictScanner(text: text, file: file, offset: headerStart)
        let fields = try dict.parse()

        guard let descr = fields.descr else { throw dict.error("the header has no 'descr'") }
        guard let fortran = fields.fortranOrder else { throw dict.error("the header has no 'fortran_order'") }
        guard let shape = fields.shape else { throw dict.error("the header has no 'shape'") }
        if fortran {
            throw DataError(.unsupported, file: file, at: .byteOffset(headerStart),
                            "Fortran-order arrays are not supported; save with np.ascontiguousarray first")
        }
        guard let element = StoredElement(npyDescr: descr) else {
            throw DataError(.unsupported, file: file, at: .byteOffset(headerStart),
                            "dtype '\(descr)' is not supported (float32/64, int8/16/32/64, uint8/16/32 and bool are)")
        }
        guard let elementCount = checkedElementCount(shape, elementSize: element.byteSize) else {
            throw DataError(.malformed, file: file, at: .byteOffset(headerStart), "shape \(shape) is too large")
        }
        self.elementCount = elementCount
        self.descr = descr
        self.element = element
        self.shape = shape
        self.dataOffset = headerStart + headerLength
    }

    /// Throws unless a file of `fileSize` bytes holds exactly the data the header describes, so a
    /// truncated file fails here, naming the byte where its data stops, and never later.
    func checkDataLength(fileSize: Int, file: String) throws {
        let needed = elementCount * element.byteSize
        let available = fileSize - dataOffset
        if available < needed {
            throw DataError(.malformed, file: file, at: .byteOffset(fileSize),
                            "truncated: shape \(shape) of '\(descr)' needs \(needed) data bytes from byte \(dataOffset), the file has \(available)")
        }
        if available > needed {
            throw DataError(.malformed, file: file, at: .byteOffset(dataOffset + needed),
                            "\(available - needed) unexpected bytes after the \(needed) data bytes that shape \(shape) of '\(descr)' needs")
        }
    }
}

/// A minimal scanner for the dict literal NumPy writes, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
struct NPYDictScanner {
    let chars: [Character]
    let file: String
    let offset: Int
    var i = 0

    init(text: String, file: String, offset: Int) {
        self.chars = Array(text)
        self.file = file
        self.offset = offset
    }

    /// An error located at the scanner's position in the file.
    func error(_ message: String) -> DataError {
        DataError(.malformed, file: file, at: .byteOffset(offset + i), "bad .npy header: \(message)")
    }

    /// The three keys the format defines (others are ignored).
    mutating func parse() throws -> (descr: String?, fortranOrder: Bool?, shape: [Int]?) {
        var descr: String?, fortran: Bool?, shape: [Int]?
        skipSpace()
        try expect("{")
        while true {
            skipSpace()
            if peek == "}" { break }
            let key = try string()
            skipSpace(); try expect(":"); skipSpace()
            switch key {
            case "descr":
                if peek == "[" { throw DataError(.unsupported, file: file, at: .byteOffset(offset + i), "structured dtypes are not supported") }
                descr = try string()
            case "fortran_order": fortran = try bool()
            case "shape": shape = try tuple()
            default: throw error("unexpected key '\(key)'")
            }
            skipSpace()
            if peek == "," { i += 1 } else if peek != "}" { throw error("expected ',' or '}'") }
        }
        return (descr, fortran, shape)
    }

    private var peek: Character? { i < chars.count ? chars[i] : nil }

    private mutating func skipSpace() { while let c = peek, c.isWhitespace { i += 1 } }

    private mutating func expect(_ c: Character) throws {
        guard peek == c else { throw error("expected '\(c)'") }
        i += 1
    }

    private mutating func string() throws -> String {
        guard let quote = peek, quote == "'" || quote == "\"" else { throw error("expected a quoted string") }
        i += 1
        let start = i
        while let c = peek, c != quote { i += 1 }
        guard peek == quote else { throw error("unterminated string") }
        defer { i += 1 }
        return String(chars[start..<i])
    }

    private mutating func bool() throws -> Bool {
        for (word, value) in [("True", true), ("False", false)] where chars[i...].starts(with: word) {
            i += word.count
            return value
        }
        throw error("expected True or False")
    }

    private mutating func tuple() throws -> [Int] {
        try expect("(")
        var dims: [Int] = []
        while true {
            skipSpace()
            if peek == ")" { i += 1; return dims }
            let start = i
            while let c = peek, c.isNumber { i += 1 }
            guard let dim = Int(String(chars[start..<i])) else { throw error("expected a dimension") }
            dims.append(dim)
            skipSpace()
            if peek == "," { i += 1 } else if peek != ")" { throw error("expected ',' or ')' in the shape") }
        }
    }
}

/// The element count of `shape`, or `nil` if it or its byte size overflows `Int` (a corrupt
/// or hostile header must not trap).
func checkedElementCount(_ shape: [Int], elementSize: Int) -> Int? {
    var n = 1
    for d in shape {
        guard d >= 0 else { return nil }
        let (product, overflow) = n.multipliedReportingOverflow(by: d)
        if overflow { return nil }
        n = product
    }
    let (bytes, overflow) = n.multipliedReportingOverflow(by: elementSize)
    return overflow ? nil : (bytes >= 0 ? n : nil)
}
