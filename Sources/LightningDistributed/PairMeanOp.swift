import CMPI
import COpenBLAS

/// The mean of two ranks as one MPI reduction, `(a + b) × ½`, so a two-rank mean needs no
/// separate scaling pass over the whole buffer after the allreduce.
///
/// The op scales each piece MPI hands it while that piece is still in cache; a pass over the
/// reduced 2 MB gradient afterwards costs about a third of the allreduce itself. With two ranks
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

/// `inout = (in + inout) × ½` for float32 and float64, with BLAS kernels: a Swift loop is not
/// vectorized in debug builds, where it would cost 20 times the allreduce.
private func pairMean(_ input: UnsafeMutableRawPointer?, _ output: UnsafeMutableRawPointer?,
                      _ length: UnsafeMutablePointer<Int32>?, _ datatype: UnsafeMutablePointer<MPI_Datatype?>?) {
    guard let input, let output, let count = length?.pointee, let datatype = datatype?.pointee else { return }
    if datatype == cmpi_float() {
        let x = input.assumingMemoryBound(to: Float.self), y = output.assumingMemoryBound(to: Float.self)
        cblas_saxpy(count, 1, x, 1, y, 1)
        cblas_sscal(count, 0.5, y, 1)
    } else if datatype == cmpi_double() {
        let x = input.assumingMemoryBound(to: Double.self), y = output.assumingMemoryBound(to: Double.self)
        cblas_daxpy(count, 1, x, 1, y, 1)
        cblas_dscal(count, 0.5, y, 1)
    }
}
