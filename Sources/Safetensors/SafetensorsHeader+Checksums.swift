import Checksums
/// Per-tensor CRC-32C checksums, kept in the file's `__metadata__` so the file stays a plain
/// safetensors file (Python's `safetensors` and PyTorch read it and ignore the key).
///
/// The whole rule lives here: writers record the checksum of every tensor's bytes under
/// ``checksumKey`` as a JSON object `{"name": "8 hex digits", …}`; readers verify each tensor's
/// bytes against it as they read them and refuse a mismatch. A file without the key (older, or
/// from another writer) is read unverified.
extension SafetensorsHeader {
    /// The `__metadata__` key holding the checksums. Reserved: the writer computes its value and
    /// the reader removes it from ``metadata`` (into ``checksums``).
    public static let checksumKey = "tensor_crc32c"

    /// The metadata value recording `checksums` (name → CRC-32C), names in byte order so the
    /// same tensors give the same file.
    static func checksumMetadata(_ checksums: [String: UInt32]) -> String {
        var out: [UInt8] = [UInt8(ascii: "{")]
        for (i, name) in checksums.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            HeaderJSONWriter.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
            HeaderJSONWriter.appendString(hex(checksums[name]!), to: &out)
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses the value of ``checksumKey``; it must give exactly one checksum per tensor in
    /// `entries`, since a partial map would leave tensors silently unverified.
    static func parseChecksums(_ text: String, entries: [Entry]) throws -> [String: UInt32] {
        func invalid(_ detail: String) -> SafetensorsError {
            SafetensorsError(.invalidMetadata(detail: "'\(checksumKey)': \(detail)"))
        }
        let json: HeaderJSON
        do {
            json = try Array(text.utf8).withUnsafeBytes { try HeaderJSONParser.parse($0) }
        } catch let error as HeaderJSONError {
            throw invalid("not valid JSON: \(error.detail)")
        }
        guard case .object(let pairs) = json else { throw invalid("expected an object, got \(json.typeName)") }
        let names = Set(entries.map(\.name))
        var checksums: [String: UInt32] = [:]
        for (name, value) in pairs {
            guard names.contains(name) else { throw invalid("names '\(name)', which the file does not hold") }
            guard case .string(let digits) = value, digits.utf8.count == 8, let crc = UInt32(digits, radix: 16) else {
                throw invalid("value for '\(name)' is not 8 hex digits")
            }
            guard checksums.updateValue(crc, forKey: name) == nil else { throw invalid("'\(name)' appears more than once") }
        }
        if let missing = entries.first(where: { checksums[$0.name] == nil }) {
            throw invalid("has no checksum for '\(missing.name)'")
        }
        return checksums
    }

    /// Throws ``SafetensorsError/Problem/checksumMismatch(expected:actual:)`` naming `entry` when
    /// the file records a checksum for it and `bytes` (its data as read) do not match it.
    public func verify(_ entry: Entry, bytes: UnsafeRawBufferPointer) throws {
        guard let expected = checksums[entry.name] else { return }
        let actual = CRC32C.parallelChecksum(bytes)
        if actual != expected {
            throw SafetensorsError(.checksumMismatch(expected: expected, actual: actual), tensor: entry.name)
        }
    }

    /// `crc` as 8 lowercase hex digits.
    static func hex(_ crc: UInt32) -> String {
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
