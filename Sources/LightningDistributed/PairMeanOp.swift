import CMPI
import COpenBLAS

/// The mean of two ranks as one MPI reduction, `(a + b) × ½`, so a two-rank mean needs no
/// separate scaling pass over the whole buffer after the allreduce.
///
/// The op halves each piece MPI hands it while that piece is in cache; a pass over the reduced
/// 2 MB gradient afterwards costs a fifth to a third of the allreduce itself. With two ranks
/// every result element is exactly one application of the op (MPI user ops have no identity
/// element to start from), and halving is exact, so the result equals sum-then-scale bit for bit.
enum PairMeanOp {
    /// Registers the op with MPI (after `MPI_Init`).
    static func create() -> MPI_Op? {
        var op: MPI_Op? = nil
        guard MPI_Op_create(pairMean, 1, &op) == cmpi_success() else { return nil }
        return op
    }
}

/// `inout = (in + inout) × ½` for float32 and float64.
private func pairMean(_ input: UnsafeMutableRawPointer?, _ output: UnsafeMutableRawPointer?,
                      _ length: UnsafeMutablePointer<Int32>?, _ datatype: UnsafeMutablePointer<MPI_Datatype?>?) {
    guard let input, let output, let count = length?.pointee, let datatype = datatype?.pointee else { return }
    if datatype == cmpi_float() {
        halveSum(input.assumingMemoryBound(to: Float.self), into: output.assumingMemoryBound(to: Float.self), count: count)
    } else if datatype == cmpi_double() {
        halveSum(input.assumingMemoryBound(to: Double.self), into: output.assumingMemoryBound(to: Double.self), count: count)
    }
}

// Optimized, one fused loop is the fastest (no slower than MPI's own sum); unoptimized, a Swift
// loop costs 20 times the allreduce, so debug builds take BLAS's two passes instead.
#if DEBUG
private func halveSum(_ input: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int32) {
    cblas_saxpy(count, 1, input, 1, output, 1)
    cblas_sscal(count, 0.5, output, 1)
}

private func halveSum(_ input: UnsafeMutablePointer<Double>, into output: UnsafeMutablePointer<Double>, count: Int32) {
    cblas_daxpy(count, 1, input, 1, output, 1)
    cblas_dscal(count, 0.5, output, 1)
}
#else
private func halveSum(_ input: UnsafeMutablePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int32) {
    for i in 0..<Int(count) { output[i] = (input[i] + output[i]) * 0.5 }
}

private func halveSum(_ input: UnsafeMutablePointer<Double>, into output: UnsafeMutablePointer<Double>, count: Int32) {
    for i in 0..<Int(count) { output[i] = (input[i] + output[i]) * 0.5 }
}
#endif
