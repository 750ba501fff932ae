import LightningTensor

/// The storage classes `torch.save` names (`torch.FloatStorage`, …): the element types a
/// checkpoint's tensors can have. Floats read as float32, integers and booleans as int64.
public enum TorchStorageType: String, Sendable, CaseIterable {
    /// float64.
    case double = "DoubleStorage"
    /// float32.
    case float = "FloatStorage"
    /// float16.
    case half = "HalfStorage"
    /// bfloat16.
    case bfloat16 = "BFloat16Storage"
    /// int64.
    case long = "LongStorage"
    /// int32.
    case int = "IntStorage"
    /// int16.
    case short = "ShortStorage"
    /// int8.
    case char = "CharStorage"
    /// uint8.
    case byte = "ByteStorage"
    /// bool.
    case bool = "BoolStorage"

    /// The stored element kind.
    var kind: StoredElement.Kind {
        switch self {
        case .double: return .float64
        case .float: return .float32
        case .half: return .float16
        case .bfloat16: return .bfloat16
        case .long: return .int64
        case .int: return .int32
        case .short: return .int16
        case .char: return .int8
        case .byte: return .uint8
        case .bool: return .bool
        }
    }

    /// Bytes per element.
    var byteSize: Int { StoredElement(kind).byteSize }
}
