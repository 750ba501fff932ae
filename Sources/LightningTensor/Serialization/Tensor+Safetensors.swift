import Safetensors

/// Tensors go into safetensors files straight from their storage (float32 as `F32`, int64 as `I64`).
extension Tensor: SafetensorsEncodable {
    /// `F32` or `I64`.
    public var safetensorsDType: SafetensorsDType { SafetensorsDType(writing: dtype) }

    /// Calls `body` with the elements as little-endian bytes, as the file stores them.
    public func withSafetensorsBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        #if _endian(little)
        return try withUnsafeBytes(body)
        #else
        var swapped = [UInt8](repeating: 0, count: count * dtype.byteSize)
        withUnsafeBytes { raw in
            swapped.withUnsafeMutableBytes { out in
                switch dtype {
                case .float32:
                    for i in 0..<count { out.storeBytes(of: raw.load(fromByteOffset: i * 4, as: UInt32.self).littleEndian, toByteOffset: i * 4, as: UInt32.self) }
                case .int64:
                    for i in 0..<count { out.storeBytes(of: raw.load(fromByteOffset: i * 8, as: UInt64.self).littleEndian, toByteOffset: i * 8, as: UInt64.self) }
                }
            }
        }
        return try swapped.withUnsafeBytes(body)
        #endif
    }
}
