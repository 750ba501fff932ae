import COpenBLAS

/// Matrix products through OpenBLAS's `cblas_sgemm` (row-major, transpose flags instead of
/// materialized transposes).
extension Kernels {
    /// `C = alpha · op(A) · op(B) + beta · C` for row-major matrices given by pointers.
    ///
    /// `op(A)` is `m×k`, `op(B)` is `k×n`; `transA`/`transB` say whether the stored matrix is
    /// the transpose (so `A` is stored `k×m`).
    @inline(__always)
    static func gemm(_ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int,
                     alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
                     b: UnsafePointer<Float>, ldb: Int? = nil,
                     beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        if m == 0 || n == 0 { return }
        let ldc = ldc ?? n
        if k == 0 {
            for row in 0..<m {
                let r = c + row * ldc
                if beta == 0 { r.update(repeating: 0, count: n) } else if beta != 1 { for j in 0..<n { r[j] *= beta } }
            }
            return
        }
        cblas_sgemm(CblasRowMajor,
                    transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda ?? (transA ? m : k)), b, Int32(ldb ?? (transB ? k : n)),
                    beta, c, Int32(ldc))
    }

    /// `y = alpha · op(A) · x + beta · y` for a row-major `m×n` matrix `A`.
    @inline(__always)
    static func gemv(_ transA: Bool, m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>,
                     x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>) {
        if m == 0 || n == 0 { return }
        cblas_sgemv(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha,
                    a, Int32(n), x, 1, beta, y, 1)
    }
}
