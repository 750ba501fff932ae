/// An element type as named in a safetensors header (`F32`, `I64`, …): the types PyTorch and
/// NumPy write, except complex, 8-bit float and 64-bit unsigned ones.
public enum SafetensorsDType: String, CaseIterable, Sendable {
    /// 64-bit IEEE float.
    case f64 = "F64"
    /// 32-bit IEEE float.
    case f32 = "F32"
    /// IEEE half precision.
    case f16 = "F16"
    /// bfloat16 (the upper half of a float32).
    case bf16 = "BF16"
    /// 64-bit signed integer.
    case i64 = "I64"
    /// 32-bit signed integer.
    case i32 = "I32"
    /// 16-bit signed integer.
    case i16 = "I16"
    /// 8-bit signed integer.
    case i8 = "I8"
    /// 32-bit unsigned integer.
    case u32 = "U32"
    /// 16-bit unsigned integer.
    case u16 = "U16"
    /// 8-bit unsigned integer.
    case u8 = "U8"
    /// Boolean, one byte each (0 or 1).
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
}
