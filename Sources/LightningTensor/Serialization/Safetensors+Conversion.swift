import Safetensors

extension StoredElement {
    /// How a safetensors dtype stores its elements (always little-endian).
    package init(_ dtype: SafetensorsDType) {
        switch dtype {
        case .f64: self.init(Kind.float64)
        case .f32: self.init(Kind.float32)
        case .f16: self.init(Kind.float16)
        case .bf16: self.init(Kind.bfloat16)
        case .i64: self.init(Kind.int64)
        case .i32: self.init(Kind.int32)
        case .i16: self.init(Kind.int16)
        case .i8: self.init(Kind.int8)
        case .u32: self.init(Kind.uint32)
        case .u16: self.init(Kind.uint16)
        case .u8: self.init(Kind.uint8)
        case .bool: self.init(Kind.bool)
        }
    }
}

extension Safetensors {
    /// Makes a tensor from one entry's little-endian bytes (exactly element count × element size),
    /// widening narrower file types to float32 or int64.
    static func makeTensor(_ dtype: SafetensorsDType, shape: [Int], from source: UnsafeRawBufferPointer) -> Tensor {
        let tensor = Tensor(uninitializedShape: shape, dtype: dtype.tensorDType)
        usagePrecondition(source.count == tensor.count * dtype.byteSize, "Safetensors.makeTensor: byte count was validated")
        if tensor.count > 0 { StoredElement(dtype).decode(source.baseAddress!, count: tensor.count, into: tensor) }
        return tensor
    }
}
