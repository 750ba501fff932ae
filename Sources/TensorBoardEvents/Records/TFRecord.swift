import Checksums
/// TFRecord framing: how event files delimit and checksum each serialized `Event`.
///
/// A record is the data's length (UInt64, little-endian), the masked CRC-32C of those 8 bytes,
/// the data, then the masked CRC-32C of the data (both UInt32, little-endian).
enum TFRecord {
    /// Appends `data` to `buffer` as one framed record.
    static func append(_ data: [UInt8], to buffer: inout [UInt8]) {
        let length = littleEndianBytes(UInt64(data.count))
        buffer.reserveCapacity(buffer.count + data.count + 16)
        buffer.append(contentsOf: length)
        buffer.append(contentsOf: littleEndianBytes(CRC32C.masked(length)))
        buffer.append(contentsOf: data)
        buffer.append(contentsOf: littleEndianBytes(CRC32C.masked(data)))
    }

    /// The bytes of `value`, least significant first.
    static func littleEndianBytes<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        (0..<Value.bitWidth / 8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
