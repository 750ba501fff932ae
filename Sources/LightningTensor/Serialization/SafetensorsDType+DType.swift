import Safetensors

extension SafetensorsDType {
    /// The tensor dtype this reads into: float32 for floating types, int64 for the others.
    public var tensorDType: DType { StoredElement(self).defaultDType }

    /// The file dtype a tensor of `dtype` is written as.
    public init(writing dtype: DType) {
        switch dtype {
        case .float32: self = .f32
        case .int64: self = .i64
        }
    }
}
