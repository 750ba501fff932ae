/// Byte builders for hand-made safetensors files (the codec's and LightningTensor's tests).
public enum SafetensorsFixture {
    /// A file made of `header` (padded to a multiple of 8 unless `pad` is false) and `data`.
    public static func file(_ header: String, data: [UInt8] = [], pad: Bool = true) -> [UInt8] {
        var h = Array(header.utf8)
        if pad { h += Array(repeating: UInt8(ascii: " "), count: (8 - h.count % 8) % 8) }
        return littleEndian(UInt64(h.count)) + h + data
    }

    /// The 8 little-endian bytes of `value`.
    public static func littleEndian(_ value: UInt64) -> [UInt8] { littleEndianBytes([value]) }

    /// The little-endian bytes of integers of any width.
    public static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        values.flatMap { v in (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    }

    /// Little-endian bytes of floats.
    public static func floatBytes(_ floats: [Float]) -> [UInt8] { littleEndianBytes(floats.map(\.bitPattern)) }

    /// Little-endian bytes of int64s.
    public static func int64Bytes(_ ints: [Int64]) -> [UInt8] { littleEndianBytes(ints) }

    /// Integers of type `T` read back from little-endian `bytes`.
    public static func integers<T: FixedWidthInteger>(_ bytes: [UInt8], as type: T.Type = T.self) -> [T] {
        let width = T.bitWidth / 8
        return stride(from: 0, to: bytes.count - width + 1, by: width).map { start in
            (0..<width).reduce(T.zero) { $0 | T(truncatingIfNeeded: bytes[start + $1]) << (8 * $1) }
        }
    }

    /// Floats read back from little-endian `bytes`.
    public static func floats(_ bytes: [UInt8]) -> [Float] { integers(bytes, as: UInt32.self).map(Float.init(bitPattern:)) }
}
