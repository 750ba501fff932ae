/// An element type as named in a safetensors header (`F32`, `I64`, …).
///
/// Writing uses `F32` and `I64` (the two ``DType``s); reading also accepts the common PyTorch
/// types and widens them: floating types to `float32`, integer and boolean types to `int64`.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    /// 64-bit float, read as float32.
    case f64 = "F64"
    /// 32-bit float.
    case f32 = "F32"
    /// IEEE half precision, read as float32.
    case f16 = "F16"
    /// bfloat16, read as float32.
    case bf16 = "BF16"
    /// 64-bit signed integer.
    case i64 = "I64"
    /// 32-bit signed integer, read as int64.
    case i32 = "I32"
    /// 16-bit signed integer, read as int64.
    case i16 = "I16"
    /// 8-bit signed integer, read as int64.
    case i8 = "I8"
    /// 32-bit unsigned integer, read as int64.
    case u32 = "U32"
    /// 16-bit unsigned integer, read as int64.
    case u16 = "U16"
    /// 8-bit unsigned integer, read as int64.
    case u8 = "U8"
    /// Boolean (one byte, 0 or 1), read as int64 0/1.
    case bool = "BOOL"

    /// Bytes per element in the file.
    public var byteSize: Int {
        switch self {
        case .f64, .i64: return 8
        case .f32, .i32, .u32: return 4
        case .f16, .bf16, .i16, .u16: return 2
        case .i8, .u8, .bool: return 1
        }
    }

    /// The tensor dtype this reads into.
    public var tensorDType: DType {
        switch self {
        case .f64, .f32, .f16, .bf16: return .float32
        default: return .int64
        }
    }

    /// The file dtype a tensor of `dtype` is written as.
    public init(writing dtype: DType) {
        switch dtype {
        case .float32: self = .f32
        case .int64: self = .i64
        }
    }
}
