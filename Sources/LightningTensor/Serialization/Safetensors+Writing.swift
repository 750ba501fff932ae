import Safetensors

extension Safetensors {
    /// Encodes `tensors` and `metadata` as the bytes of a safetensors file.
    ///
    /// The output matches the reference writer byte for byte (for the same metadata): tensors
    /// ordered by descending alignment then name, header padded with spaces to a multiple of 8.
    /// With `checksums`, the CRC-32C of each tensor's bytes goes into the metadata and readers
    /// verify it. Throws only for a tensor named `__metadata__`.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:], checksums: Bool = false) throws -> [UInt8] {
        try SafetensorsWriter.encode(tensors, metadata: metadata, checksums: checksums)
    }

    /// Writes `tensors` and `metadata` to `path` atomically.
    ///
    /// The file is written under a temporary name in the same directory, fsynced, then renamed over
    /// `path` (and the directory fsynced), so a crash or a concurrent reader never sees a partial file.
    /// With `checksums`, the CRC-32C of each tensor's bytes goes into the metadata (see
    /// `SafetensorsHeader.checksumKey`) and ``read(path:)`` refuses a tensor whose bytes no longer match.
    public static func write(_ tensors: [String: Tensor], metadata: [String: String] = [:], checksums: Bool = false, to path: String) throws {
        try SafetensorsWriter.write(tensors, metadata: metadata, checksums: checksums, to: path)
    }

    /// The bytes before the data of a safetensors file holding one tensor `name` of `dtype` and
    /// `shape` (no metadata, no checksums), so rows written right after them make the file
    /// ``encode(_:metadata:checksums:)`` would.
    public static func prefix(name: String, dtype: DType, shape: [Int]) throws -> [UInt8] {
        try SafetensorsWriter.prefix(name: name, dtype: SafetensorsDType(writing: dtype), shape: shape)
    }
}
