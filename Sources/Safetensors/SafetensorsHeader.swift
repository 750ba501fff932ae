/// The validated header of a safetensors file: each tensor's element type, shape and where its
/// bytes lie, and the `__metadata__` map.
///
/// Layout of a file: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with
/// spaces to a multiple of 8) mapping each tensor name to `{"dtype", "shape", "data_offsets"}` plus
/// an optional `"__metadata__"` string map, then the data section, where each tensor's
/// little-endian bytes lie at its `data_offsets` (relative to the data section), contiguous and
/// in row-major order.
public struct SafetensorsHeader: Equatable, Sendable {
    /// One tensor's entry.
    public struct Entry: Equatable, Sendable {
        /// The tensor's name.
        public var name: String
        /// The element type.
        public var dtype: SafetensorsDType
        /// The size of each dimension; `[]` for a scalar.
        public var shape: [Int]
        /// The tensor's bytes within the data section.
        public var dataOffsets: Range<Int>

        /// The number of elements.
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The reference implementation refuses headers over 100 MB; so do we, before allocating.
    static let maxHeaderLength: UInt64 = 100_000_000

    /// Entries in data order (by offsets).
    public var entries: [Entry]
    /// The `__metadata__` map (empty when absent), without ``checksumKey``.
    public var metadata: [String: String]
    /// Each tensor's CRC-32C as the file records it under ``checksumKey``; empty for a file
    /// written without checksums, whose tensors are read unverified.
    public var checksums: [String: UInt32]
    /// Where the data section starts in the file (8 + the header length).
    public var dataStart: Int

    private init(entries: [Entry], metadata: [String: String], checksums: [String: UInt32], dataStart: Int) {
        self.entries = entries
        self.metadata = metadata
        self.checksums = checksums
        self.dataStart = dataStart
    }

    /// Parses and validates the header of a whole file held in memory (`file` is every byte).
    ///
    /// Throws ``SafetensorsError`` for anything malformed, including a data section that the
    /// entries do not cover exactly; never traps on bad input.
    public init(file: UnsafeRawBufferPointer) throws {
        let length = try Self.validatedLength(lengthBytes: file, fileSize: file.count)
        self = try Self.parse(UnsafeRawBufferPointer(rebasing: file[8..<(8 + length)]), dataLength: file.count - 8 - length)
    }

    /// Reads and checks the 8-byte header length against `fileSize`, the size of the whole file.
    static func validatedLength(lengthBytes: UnsafeRawBufferPointer, fileSize: Int) throws -> Int {
        guard lengthBytes.count >= 8, fileSize >= 8 else {
            throw SafetensorsError(.fileTooSmall(byteCount: Swift.min(fileSize, lengthBytes.count)))
        }
        let length = UInt64(littleEndian: lengthBytes.loadUnaligned(as: UInt64.self))
        if length > maxHeaderLength { throw SafetensorsError(.headerTooLarge(length: length)) }
        if length > UInt64(fileSize - 8) { throw SafetensorsError(.headerPastEnd(length: length, available: fileSize - 8)) }
        return Int(length)
    }

    /// Parses and validates `bytes` (the JSON header) against a data section of `dataLength` bytes.
    ///
    /// Checks everything the reference reader checks (contiguous offsets from 0 covering the data
    /// exactly, byte counts matching dtype × shape, no overflow) plus duplicate names and fields.
    static func parse(_ bytes: UnsafeRawBufferPointer, dataLength: Int) throws -> SafetensorsHeader {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw SafetensorsError(.headerNotUTF8) }
        let json: HeaderJSON
        do {
            json = try HeaderJSONParser.parse(bytes)
        } catch let error as HeaderJSONError {
            throw SafetensorsError(.invalidJSON(detail: error.detail))
        }
        guard case .object(let members) = json else { throw SafetensorsError(.headerNotObject) }

        var seen = Set<String>()
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        entries.reserveCapacity(members.count)
        for (name, value) in members {
            guard seen.insert(name).inserted else { throw SafetensorsError(.duplicateName, tensor: name) }
            if name == "__metadata__" {
                metadata = try parseMetadata(value)
            } else {
                entries.append(try parseEntry(name: name, value))
            }
        }

        // The reference writer orders data by dtype alignment, older writers by name; readers
        // must accept any order, so validate in offset order.
        entries.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        var position = 0
        for entry in entries {
            let start = entry.dataOffsets.lowerBound, end = entry.dataOffsets.upperBound
            if end > dataLength {
                throw SafetensorsError(.offsetsOutOfRange(start: start, end: end, dataLength: dataLength), tensor: entry.name)
            }
            if start < position {
                throw SafetensorsError(.offsetsOverlap(start: start, previousEnd: position), tensor: entry.name)
            }
            if start > position {
                throw SafetensorsError(.offsetsGap(start: start, previousEnd: position), tensor: entry.name)
            }
            position = end
        }
        if position != dataLength {
            throw SafetensorsError(.trailingData(dataEnd: position, dataLength: dataLength))
        }
        let checksums = try metadata.removeValue(forKey: checksumKey).map { try parseChecksums($0, entries: entries) } ?? [:]
        return SafetensorsHeader(entries: entries, metadata: metadata, checksums: checksums, dataStart: 8 + bytes.count)
    }

    private static func parseMetadata(_ value: HeaderJSON) throws -> [String: String] {
        switch value {
        case .null:
            return [:]
        case .object(let pairs):
            var map: [String: String] = [:]
            for (key, item) in pairs {
                guard case .string(let text) = item else {
                    throw SafetensorsError(.invalidMetadata(detail: "value of '\(key)' is \(item.typeName), not a string"))
                }
                guard map.updateValue(text, forKey: key) == nil else {
                    throw SafetensorsError(.invalidMetadata(detail: "key '\(key)' appears more than once"))
                }
            }
            return map
        default:
            throw SafetensorsError(.invalidMetadata(detail: "expected an object of strings, got \(value.typeName)"))
        }
    }

    private static func parseEntry(name: String, _ value: HeaderJSON) throws -> Entry {
        guard case .object(let fields) = value else {
            throw SafetensorsError(.invalidField("entry", detail: "expected an object, got \(value.typeName)"), tensor: name)
        }
        var dtypeValue: HeaderJSON?, shapeValue: HeaderJSON?, offsetsValue: HeaderJSON?
        for (key, item) in fields {
            // Unknown fields are ignored, as the reference reader does.
            switch key {
            case "dtype", "shape", "data_offsets":
                let previous: HeaderJSON?
                switch key {
                case "dtype": previous = dtypeValue; dtypeValue = item
                case "shape": previous = shapeValue; shapeValue = item
                default: previous = offsetsValue; offsetsValue = item
                }
                if previous != nil {
                    throw SafetensorsError(.invalidField(key, detail: "appears more than once"), tensor: name)
                }
            default:
                continue
            }
        }
        guard let dtypeValue else { throw SafetensorsError(.missingField("dtype"), tensor: name) }
        guard let shapeValue else { throw SafetensorsError(.missingField("shape"), tensor: name) }
        guard let offsetsValue else { throw SafetensorsError(.missingField("data_offsets"), tensor: name) }

        guard case .string(let dtypeName) = dtypeValue else {
            throw SafetensorsError(.invalidField("dtype", detail: "expected a string, got \(dtypeValue.typeName)"), tensor: name)
        }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError(.unknownDType(dtypeName), tensor: name)
        }

        guard case .array(let dims) = shapeValue else {
            throw SafetensorsError(.invalidField("shape", detail: "expected an array, got \(shapeValue.typeName)"), tensor: name)
        }
        var shape: [Int] = []
        shape.reserveCapacity(dims.count)
        var count = 1
        for dim in dims {
            let size: Int
            do {
                size = try nonNegativeInteger(dim)
            } catch let problem as IntegerProblem {
                throw SafetensorsError(.invalidShape(detail: "dimension \(shape.count) is \(problem.text)"), tensor: name)
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow { throw SafetensorsError(.invalidShape(detail: "element count overflows"), tensor: name) }
            count = product
            shape.append(size)
        }
        let (expectedBytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        if overflow { throw SafetensorsError(.invalidShape(detail: "byte count overflows"), tensor: name) }

        guard case .array(let offsets) = offsetsValue, offsets.count == 2 else {
            throw SafetensorsError(.invalidOffsets(detail: "expected an array of two integers"), tensor: name)
        }
        let start: Int, end: Int
        do {
            start = try nonNegativeInteger(offsets[0])
            end = try nonNegativeInteger(offsets[1])
        } catch let problem as IntegerProblem {
            throw SafetensorsError(.invalidOffsets(detail: "an offset is \(problem.text)"), tensor: name)
        }
        if end < start {
            throw SafetensorsError(.invalidOffsets(detail: "end \(end) is before start \(start)"), tensor: name)
        }
        if end - start != expectedBytes {
            throw SafetensorsError(.byteCountMismatch(expected: expectedBytes, actual: end - start), tensor: name)
        }
        return Entry(name: name, dtype: dtype, shape: shape, dataOffsets: start..<end)
    }

    /// Why a JSON value is not a usable size or offset.
    private struct IntegerProblem: Error { let text: String }

    /// Reads a JSON number that must be a non-negative integer fitting in `Int` (as `usize` in the reference).
    private static func nonNegativeInteger(_ value: HeaderJSON) throws -> Int {
        guard case .number(let text) = value else { throw IntegerProblem(text: value.typeName + ", not an integer") }
        if text.hasPrefix("-") {
            // The reference parses these as `usize`, which refuses any sign, even "-0".
            throw IntegerProblem(text: "negative (\(text))")
        }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw IntegerProblem(text: "not an integer (\(text))")
        }
        guard let n = Int(text) else { throw IntegerProblem(text: "too large (\(text.prefix(40)))") }
        return n
    }
}

extension SafetensorsHeader {
    /// The JSON header (padded with spaces to a multiple of 8) for `tensors`, already in data order.
    ///
    /// `__metadata__` comes first, its keys sorted so output is deterministic.
    static func encode(_ tensors: [(name: String, dtype: SafetensorsDType, shape: [Int])], metadata: [String: String]) throws -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        var first = true
        func separator() { if !first { out.append(UInt8(ascii: ",")) }; first = false }
        if !metadata.isEmpty {
            separator()
            HeaderJSONWriter.appendString("__metadata__", to: &out)
            out.append(contentsOf: Array(":{".utf8))
            let keys = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                HeaderJSONWriter.appendString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                HeaderJSONWriter.appendString(metadata[key]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        var offset = 0
        for (name, dtype, shape) in tensors {
            if name == "__metadata__" { throw SafetensorsError(.reservedName, tensor: name) }
            if let bad = shape.firstIndex(where: { $0 < 0 }) {
                throw SafetensorsError(.invalidShape(detail: "dimension \(bad) is negative (\(shape[bad]))"), tensor: name)
            }
            separator()
            HeaderJSONWriter.appendString(name, to: &out)
            out.append(contentsOf: Array(":{\"dtype\":".utf8))
            HeaderJSONWriter.appendString(dtype.rawValue, to: &out)
            out.append(contentsOf: Array(",\"shape\":[".utf8))
            for (i, d) in shape.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                HeaderJSONWriter.appendInt(d, to: &out)
            }
            out.append(contentsOf: Array("],\"data_offsets\":[".utf8))
            let bytes = shape.reduce(1, *) * dtype.byteSize
            HeaderJSONWriter.appendInt(offset, to: &out)
            out.append(UInt8(ascii: ","))
            HeaderJSONWriter.appendInt(offset + bytes, to: &out)
            out.append(contentsOf: Array("]}".utf8))
            offset += bytes
        }
        out.append(UInt8(ascii: "}"))
        let padding = (8 - out.count % 8) % 8
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        return out
    }
}
