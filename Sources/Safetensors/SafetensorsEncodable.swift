/// A tensor the writer can store: an element type, a shape and the elements' little-endian bytes.
///
/// ``SafetensorsTensor`` conforms; so can any array type (LightningTensor's `Tensor` does), which
/// lets the writer stream its memory into the file without an intermediate copy.
public protocol SafetensorsEncodable {
    /// The element type the file records.
    var safetensorsDType: SafetensorsDType { get }
    /// The size of each dimension; `[]` for a scalar.
    var shape: [Int] { get }
    /// Calls `body` with the elements in row-major order as little-endian bytes (element count ×
    /// `safetensorsDType.byteSize` of them).
    func withSafetensorsBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}
