import COpenBLAS

extension BLASKernels {
    /// Whether `cblas_sgemm` agrees with a plain triple loop on a product with odd sizes (so the
    /// kernels' edge cases run as well as their main blocks), to float rounding.
    ///
    /// Each entry is a dot product of `k` terms; with inputs in [-1, 1] the two orders of
    /// summation differ by at most about `k` rounding errors of the largest partial sum, so a
    /// tolerance of `k * 4 * Float.ulpOfOne` times the sum of |terms| is loose for right kernels
    /// and far below what wrong kernels (garbage or skipped blocks) produce.
    static func sgemmMatchesPlainLoop() -> Bool {
        let m = 67, n = 45, k = 93
        // Deterministic values spread over [-1, 1] without a random generator.
        let a = (0..<(m * k)).map { Float(($0 * 37 + 11) % 101) / 50 - 1 }
        let b = (0..<(k * n)).map { Float(($0 * 53 + 7) % 97) / 48 - 1 }
        var c = [Float](repeating: 0, count: m * n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0, magnitude: Float = 0
                for p in 0..<k {
                    let term = a[i * k + p] * b[p * n + j]
                    sum += term
                    magnitude += abs(term)
                }
                let tolerance = Float(k) * 4 * Float.ulpOfOne * magnitude + Float.leastNormalMagnitude
                guard abs(c[i * n + j] - sum) <= tolerance else { return false }
            }
        }
        return true
    }
}
