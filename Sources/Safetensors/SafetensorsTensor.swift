/// One tensor as a safetensors file holds it: element type, shape and little-endian bytes.
public struct SafetensorsTensor: SafetensorsEncodable, Equatable, Sendable {
    /// The element type.
    public let dtype: SafetensorsDType
    /// The size of each dimension; `[]` for a scalar.
    public let shape: [Int]
    /// The elements in row-major order, little-endian.
    public let bytes: [UInt8]

    /// A tensor of `bytes`; throws unless the shape is valid and `bytes` holds exactly its elements.
    public init(dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        var count = 1
        for (i, d) in shape.enumerated() {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if d < 0 || overflow { throw SafetensorsError(.invalidShape(detail: "dimension \(i) is \(d) in \(shape)")) }
            count = product
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        if overflow { throw SafetensorsError(.invalidShape(detail: "byte count of \(shape) overflows")) }
        if bytes.count != expected { throw SafetensorsError(.byteCountMismatch(expected: expected, actual: bytes.count)) }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The element type (``SafetensorsEncodable``).
    public var safetensorsDType: SafetensorsDType { dtype }

    /// Calls `body` with ``bytes``.
    public func withSafetensorsBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}
