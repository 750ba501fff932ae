import Safetensors

/// An element type as a file stores it (safetensors, NumPy `.npy`, IDX): its kind and byte
/// order, and the one conversion of such elements into float32 or int64 tensors that every
/// reader shares.
package struct StoredElement: Equatable, Sendable {
    /// What one element is.
    package enum Kind: Equatable, Sendable {
        case float64, float32, float16, bfloat16
        case int64, int32, int16, int8, uint32, uint16, uint8, bool
    }

    /// What one element is.
    package let kind: Kind
    /// Whether multi-byte elements are stored most significant byte first.
    package let bigEndian: Bool

    /// An element of `kind` in the given byte order (little-endian unless said).
    package init(_ kind: Kind, bigEndian: Bool = false) {
        self.kind = kind
        self.bigEndian = bigEndian
    }

    /// Bytes per element.
    package var byteSize: Int {
        switch kind {
        case .float64, .int64: return 8
        case .float32, .int32, .uint32: return 4
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    /// Whether the kind is a floating-point type.
    package var isFloatingPoint: Bool {
        switch kind {
        case .float64, .float32, .float16, .bfloat16: return true
        default: return false
        }
    }

    /// Floats read as float32, integers and booleans as int64 (labels and indices, as in PyTorch).
    package var defaultDType: DType { isFloatingPoint ? .float32 : .int64 }

    /// Converts `count` elements at `source` (any alignment) into `out`'s first `count` elements.
    ///
    /// Integers become floats through `Double`; floats become int64 by truncation toward zero,
    /// with NaN and out-of-range values as `Int64.min` (NumPy's `astype`); booleans are 0 or 1.
    package func decode(_ source: UnsafeRawPointer, count: Int, into out: Tensor) {
        usagePrecondition(count <= out.count, "StoredElement.decode: \(count) elements into a tensor of \(out.count)")
        let native = bigEndian == Self.hostIsBigEndian
        if native && ((kind == .float32 && out.dtype == .float32) || (kind == .int64 && out.dtype == .int64)) {
            out.elementBase.copyMemory(from: source, byteCount: count * byteSize)
            return
        }
        switch out.dtype {
        case .float32:
            let dst = out.floats
            if isFloatingPoint {
                for k in 0..<count { dst[k] = floatingValue(source, k) }
            } else {
                for k in 0..<count { dst[k] = Float(Double(integerValue(source, k))) }
            }
        case .int64:
            let dst = out.int64s
            if isFloatingPoint {
                for k in 0..<count {
                    let x = Double(floatingValue(source, k))
                    dst[k] = x.isFinite && abs(x) < 9.2e18 ? Int64(x) : Int64.min
                }
            } else {
                for k in 0..<count { dst[k] = integerValue(source, k) }
            }
        }
    }

    /// Element `k` of a floating kind (exact: every float64 is rounded once, the others widen).
    @inline(__always)
    private func floatingValue(_ p: UnsafeRawPointer, _ k: Int) -> Float {
        switch kind {
        case .float32: return Float(bitPattern: load(p, k, UInt32.self))
        case .float64: return Float(Double(bitPattern: load(p, k, UInt64.self)))
        case .float16: return Self.floatFromHalf(load(p, k, UInt16.self))
        case .bfloat16: return Float(bitPattern: UInt32(load(p, k, UInt16.self)) << 16)
        default: return Float(integerValue(p, k))
        }
    }

    /// Element `k` of an integer or boolean kind.
    @inline(__always)
    private func integerValue(_ p: UnsafeRawPointer, _ k: Int) -> Int64 {
        switch kind {
        case .int64: return Int64(bitPattern: load(p, k, UInt64.self))
        case .int32: return Int64(Int32(bitPattern: load(p, k, UInt32.self)))
        case .uint32: return Int64(load(p, k, UInt32.self))
        case .int16: return Int64(Int16(bitPattern: load(p, k, UInt16.self)))
        case .uint16: return Int64(load(p, k, UInt16.self))
        case .int8: return Int64(p.load(fromByteOffset: k, as: Int8.self))
        case .uint8: return Int64(p.load(fromByteOffset: k, as: UInt8.self))
        case .bool: return p.load(fromByteOffset: k, as: UInt8.self) == 0 ? 0 : 1
        default: return Int64(floatingValue(p, k))
        }
    }

    /// The `k`-th `T`-sized element at `p`, in this element's byte order.
    @inline(__always)
    private func load<T: FixedWidthInteger>(_ p: UnsafeRawPointer, _ k: Int, _: T.Type) -> T {
        let raw = p.loadUnaligned(fromByteOffset: k * MemoryLayout<T>.size, as: T.self)
        return bigEndian ? T(bigEndian: raw) : T(littleEndian: raw)
    }

    /// Whether this machine stores integers most significant byte first.
    private static var hostIsBigEndian: Bool {
        #if _endian(big)
        return true
        #else
        return false
        #endif
    }

    /// Converts IEEE 754 binary16 bits to a Float (exact: every half is representable).
    ///
    /// Done by hand because `Float16` is unavailable on some Swift platforms.
    package static func floatFromHalf(_ h: UInt16) -> Float {
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
