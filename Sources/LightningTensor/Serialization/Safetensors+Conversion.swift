extension Safetensors {
    /// Makes a tensor from one entry's little-endian bytes (exactly `entry.end - entry.start` of them),
    /// widening narrower file types to float32 or int64.
    static func makeTensor(_ dtype: SafetensorsDType, shape: [Int], from source: UnsafeRawBufferPointer) -> Tensor {
        let tensor = Tensor(uninitializedShape: shape, dtype: dtype.tensorDType)
        let n = tensor.count
        usagePrecondition(source.count == n * dtype.byteSize, "Safetensors.makeTensor: byte count was validated")
        if n == 0 { return tensor }
        let base = tensor.elementBase
        #if _endian(little)
        if dtype == .f32 || dtype == .i64 {
            base.copyMemory(from: source.baseAddress!, byteCount: source.count)
            return tensor
        }
        #endif
        switch dtype.tensorDType {
        case .float32:
            let out = base.assumingMemoryBound(to: Float.self)
            switch dtype {
            case .f32:
                for i in 0..<n { out[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
            case .f64:
                for i in 0..<n { out[i] = Float(Double(bitPattern: UInt64(littleEndian: source.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))) }
            case .f16:
                for i in 0..<n { out[i] = floatFromHalf(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
            case .bf16:
                for i in 0..<n { out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) << 16) }
            default:
                usageFailure("unreachable: \(dtype) is not a float type")
            }
        case .int64:
            let out = base.assumingMemoryBound(to: Int64.self)
            switch dtype {
            case .i64:
                for i in 0..<n { out[i] = Int64(littleEndian: source.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
            case .i32:
                for i in 0..<n { out[i] = Int64(Int32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
            case .u32:
                for i in 0..<n { out[i] = Int64(UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) }
            case .i16:
                for i in 0..<n { out[i] = Int64(Int16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))) }
            case .u16:
                for i in 0..<n { out[i] = Int64(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))) }
            case .i8:
                for i in 0..<n { out[i] = Int64(Int8(bitPattern: source[i])) }
            case .u8:
                for i in 0..<n { out[i] = Int64(source[i]) }
            case .bool:
                for i in 0..<n { out[i] = source[i] == 0 ? 0 : 1 }
            default:
                usageFailure("unreachable: \(dtype) is not an integer type")
            }
        }
        return tensor
    }

    /// Converts IEEE 754 binary16 bits to a Float (exact: every half is representable).
    ///
    /// Done by hand because `Float16` is unavailable on some Swift platforms.
    static func floatFromHalf(_ h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
