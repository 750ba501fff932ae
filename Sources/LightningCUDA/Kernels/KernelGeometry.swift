/// The by-value structs of the kernels (`Broadcast`, `Reduction`, `Window` in the sources), laid
/// out as C lays them: 64-bit fields first, then 32-bit ones, padded to 8 bytes.
public enum KernelGeometry {
    /// `struct Broadcast { i64 size[8], strideA[8], strideB[8]; int rank; }`: an output's sizes
    /// and each input's element strides (0 on a broadcast dimension).
    public static func broadcast(size: [Int], strideA: [Int], strideB: [Int]) -> KernelArgument {
        precondition(size.count <= CUDAKernelSource.maxDimensions && strideA.count == size.count && strideB.count == size.count,
                     "broadcast geometry: at most \(CUDAKernelSource.maxDimensions) dimensions, one stride per dimension")
        var fields = Fields()
        fields.int64s(size, padTo: 8)
        fields.int64s(strideA, padTo: 8)
        fields.int64s(strideB, padTo: 8)
        fields.int32s([size.count])
        return .bytes(fields.finished())
    }

    /// `struct Reduction { i64 keptSize[8], keptStride[8], reducedSize[8], reducedStride[8]; int keptRank, reducedRank; }`.
    public static func reduction(keptSize: [Int], keptStride: [Int], reducedSize: [Int], reducedStride: [Int]) -> KernelArgument {
        precondition(keptSize.count <= CUDAKernelSource.maxDimensions && reducedSize.count <= CUDAKernelSource.maxDimensions
                     && keptStride.count == keptSize.count && reducedStride.count == reducedSize.count,
                     "reduction geometry: at most \(CUDAKernelSource.maxDimensions) dimensions of each kind, one stride per dimension")
        var fields = Fields()
        fields.int64s(keptSize, padTo: 8)
        fields.int64s(keptStride, padTo: 8)
        fields.int64s(reducedSize, padTo: 8)
        fields.int64s(reducedStride, padTo: 8)
        fields.int32s([keptSize.count, reducedSize.count])
        return .bytes(fields.finished())
    }

    /// `struct Window { i64 batch, channels, height, width, outH, outW; int kernelH, kernelW,
    /// strideH, strideW, padH, padW, dilationH, dilationW; }`.
    public static func window(batch: Int, channels: Int, height: Int, width: Int, outH: Int, outW: Int,
                              kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)) -> KernelArgument {
        var fields = Fields()
        fields.int64s([batch, channels, height, width, outH, outW], padTo: 6)
        fields.int32s([kernel.0, kernel.1, stride.0, stride.1, padding.0, padding.1, dilation.0, dilation.1])
        return .bytes(fields.finished())
    }

    /// Little-endian fields appended in declaration order.
    private struct Fields {
        var bytes: [UInt8] = []

        mutating func int64s(_ values: [Int], padTo count: Int) {
            for i in 0..<count { withUnsafeBytes(of: Int64(i < values.count ? values[i] : 0).littleEndian) { bytes += $0 } }
        }

        mutating func int32s(_ values: [Int]) {
            for value in values { withUnsafeBytes(of: Int32(value).littleEndian) { bytes += $0 } }
        }

        /// The bytes padded to the struct's 8-byte alignment.
        func finished() -> [UInt8] { bytes + [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8) }
    }
}
