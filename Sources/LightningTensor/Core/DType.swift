/// The element type of a tensor.
///
/// Floating-point data is `float32`; labels and indices are `int64`, as in PyTorch.
public enum DType: String, Sendable, CustomStringConvertible {
    /// 32-bit IEEE 754 floating point.
    case float32
    /// 64-bit signed integer (class labels, indices).
    case int64

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32: return 4
        case .int64: return 8
        }
    }

    /// The name as it prints (`float32`, `int64`).
    public var description: String { rawValue }
}
