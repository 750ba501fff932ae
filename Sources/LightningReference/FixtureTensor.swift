import LightningTensor

/// A tensor as the PyTorch reference fixtures store it: `{"shape": [...], "data": [...]}`,
/// with `"dtype": "int"` marking int64 data (labels, indices).
public struct FixtureTensor: Decodable, Sendable {
    /// The size of each dimension.
    public let shape: [Int]
    /// The elements in row-major order.
    public let data: [Double]
    /// `"int"` for int64 data; absent for float32.
    public let dtype: String?

    /// The elements as float32.
    public var scalars: [Float] { data.map { Float($0) } }

    /// The tensor: int64 when `dtype` is `"int"`, float32 otherwise.
    public var tensor: Tensor {
        dtype == "int" ? Tensor(shape: shape, int64Scalars: data.map { Int64($0) })
                       : Tensor(shape: shape, scalars: scalars)
    }
}
