/// An element type that collectives carry: `Float`, `Double`, `Int64`, `Int` (64-bit) and `UInt8`.
public protocol CollectiveScalar: BitwiseCopyable {
    /// How collectives represent this type on the wire.
    static var collectiveElement: CollectiveElement { get }
}

/// The element types collectives understand.
public enum CollectiveElement: UInt8, Sendable, CustomStringConvertible {
    /// 32-bit IEEE 754 floating point.
    case float32
    /// 64-bit IEEE 754 floating point.
    case float64
    /// 64-bit signed integer.
    case int64
    /// An unsigned byte.
    case uint8

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32: return 4
        case .float64, .int64: return 8
        case .uint8: return 1
        }
    }

    /// Whether `.mean` applies.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    /// The name as it prints (`float32`, `int64`, …).
    public var description: String {
        switch self {
        case .float32: return "float32"
        case .float64: return "float64"
        case .int64: return "int64"
        case .uint8: return "uint8"
        }
    }
}

extension Float: CollectiveScalar {
    /// `float32`.
    public static var collectiveElement: CollectiveElement { .float32 }
}

extension Double: CollectiveScalar {
    /// `float64`.
    public static var collectiveElement: CollectiveElement { .float64 }
}

extension Int64: CollectiveScalar {
    /// `int64`.
    public static var collectiveElement: CollectiveElement { .int64 }
}

#if arch(x86_64) || arch(arm64)
extension Int: CollectiveScalar {
    /// `int64` (`Int` is 64 bits on the platforms this package supports).
    public static var collectiveElement: CollectiveElement { .int64 }
}
#endif

extension UInt8: CollectiveScalar {
    /// `uint8`.
    public static var collectiveElement: CollectiveElement { .uint8 }
}
