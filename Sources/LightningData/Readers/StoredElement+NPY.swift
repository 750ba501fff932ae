/// The `.npy` element types we read, and their conversion into tensor storage.
enum NPYElement {
    case float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, bool

    /// Bytes per element in the file.
    var byteSize: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64: return 8
        }
    }

    /// Floats become float32 and integers int64, as labels and indices are in PyTorch.
    var defaultDType: DType {
        switch self {
        case .float32, .float64: return .float32
        default: return .int64
        }
    }

    /// The element type and whether its byte order differs from this machine's, for a `descr`.
    static func parse(_ descr: String) -> (NPYElement, Bool)? {
        guard descr.count >= 3, let order = descr.first else { return nil }
        let littleEndianHost = 1.littleEndian == 1
        let swapped: Bool
        switch order {
        case "<": swapped = !littleEndianHost
        case ">": swapped = littleEndianHost
        case "|", "=": swapped = false
        default: return nil
        }
        let kinds: [String: NPYElement] = [
            "f4": .float32, "f8": .float64, "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64,
            "u1": .uint8, "u2": .uint16, "u4": .uint32, "b1": .bool,
        ]
        guard let element = kinds[String(descr.dropFirst())] else { return nil }
        return (element, swapped && element.byteSize > 1)
    }

    /// Converts `count` elements at `source` (any alignment) into `out`'s storage.
    func convert(from source: UnsafeRawPointer, count: Int, byteSwapped: Bool, into out: Tensor) {
        if self == .float32 && out.dtype == .float32 && !byteSwapped {
            out.elementBase.copyMemory(from: source, byteCount: count * 4)
            return
        }
        if self == .int64 && out.dtype == .int64 && !byteSwapped {
            out.elementBase.copyMemory(from: source, byteCount: count * 8)
            return
        }
        switch out.dtype {
        case .float32:
            let dst = out.elementBase.assumingMemoryBound(to: Float.self)
            for k in 0..<count { dst[k] = Float(value(source, k, byteSwapped)) }
        case .int64:
            let dst = out.elementBase.assumingMemoryBound(to: Int64.self)
            for k in 0..<count { dst[k] = integer(source, k, byteSwapped) }
        }
    }

    /// Element `k` as a Double (exact for every integer type we read).
    @inline(__always)
    private func value(_ p: UnsafeRawPointer, _ k: Int, _ swap: Bool) -> Double {
        switch self {
        case .float32:
            let bits = p.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)
            return Double(Float(bitPattern: swap ? bits.byteSwapped : bits))
        case .float64:
            let bits = p.loadUnaligned(fromByteOffset: k * 8, as: UInt64.self)
            return Double(bitPattern: swap ? bits.byteSwapped : bits)
        default:
            return Double(integer(p, k, swap))
        }
    }

    /// Element `k` as an Int64 (floats truncate toward zero, as NumPy's `astype` does).
    @inline(__always)
    private func integer(_ p: UnsafeRawPointer, _ k: Int, _ swap: Bool) -> Int64 {
        switch self {
        case .int8: return Int64(p.load(fromByteOffset: k, as: Int8.self))
        case .uint8: return Int64(p.load(fromByteOffset: k, as: UInt8.self))
        case .bool: return p.load(fromByteOffset: k, as: UInt8.self) == 0 ? 0 : 1
        case .int16:
            let v = p.loadUnaligned(fromByteOffset: k * 2, as: Int16.self)
            return Int64(swap ? v.byteSwapped : v)
        case .uint16:
            let v = p.loadUnaligned(fromByteOffset: k * 2, as: UInt16.self)
            return Int64(swap ? v.byteSwapped : v)
        case .int32:
            let v = p.loadUnaligned(fromByteOffset: k * 4, as: Int32.self)
            return Int64(swap ? v.byteSwapped : v)
        case .uint32:
            let v = p.loadUnaligned(fromByteOffset: k * 4, as: UInt32.self)
            return Int64(swap ? v.byteSwapped : v)
        case .int64:
            let v = p.loadUnaligned(fromByteOffset: k * 8, as: Int64.self)
            return swap ? v.byteSwapped : v
        case .float32, .float64:
            let x = value(p, k, swap)
            // A NaN or out-of-range float has no integer value; NumPy gives INT64_MIN.
            return x.isFinite && abs(x) < 9.2e18 ? Int64(x) : Int64.min
        }
    }
}
