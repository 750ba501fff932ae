import LightningTestSupport
import Safetensors

/// Codec-level tensors for the tests: values in, little-endian bytes out.
extension SafetensorsTensor {
    /// A float32 tensor.
    static func f32(_ shape: [Int], _ values: [Float]) throws -> SafetensorsTensor {
        try SafetensorsTensor(dtype: .f32, shape: shape, bytes: SafetensorsFixture.floatBytes(values))
    }

    /// An int64 tensor.
    static func i64(_ shape: [Int], _ values: [Int64]) throws -> SafetensorsTensor {
        try SafetensorsTensor(dtype: .i64, shape: shape, bytes: SafetensorsFixture.int64Bytes(values))
    }

    /// The elements of an `F32` tensor.
    var floats: [Float] { SafetensorsFixture.floats(bytes) }

    /// The elements of an integer tensor of type `T`.
    func integers<T: FixedWidthInteger>(_ type: T.Type) -> [T] { SafetensorsFixture.integers(bytes, as: type) }

    /// A small model-like state: float matrices, a scalar, an empty tensor and int64 counters.
    static func sampleState() throws -> [String: SafetensorsTensor] {
        [
            "fc1.weight": try .f32([3, 2], [1, -2, 3.5, 0, -0.25, 1e-8]),
            "fc1.bias": try .f32([3], [0.5, -0.5, 7]),
            "scale": try .f32([], [2.5]),
            "empty": try .f32([0, 4], []),
            "bn.num_batches_tracked": try .i64([], [42]),
            "labels": try .i64([4], [Int64.min, -1, 0, Int64.max]),
        ]
    }
}
