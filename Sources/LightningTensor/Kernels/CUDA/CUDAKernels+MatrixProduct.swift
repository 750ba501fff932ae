import LightningCUDA

/// Matrix products on the GPU through the runtime's multiplier (cuBLAS).
extension CUDAKernels {
    /// `C = alpha · op(A) · op(B) + beta · C`, row-major, as ``Kernels/gemm(_:_:m:n:k:alpha:a:lda:b:ldb:beta:c:ldc:)``;
    /// the element offsets address a matrix inside a batch.
    static func gemm(_ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1, a: Tensor, aOffset: Int = 0,
                     b: Tensor, bOffset: Int = 0, beta: Float = 0, c: Tensor, cOffset: Int = 0) {
        if m == 0 || n == 0 { return }
        let device = ordinal(c)
        if k == 0 {
            fill(c, 0)
            return
        }
        let runtime = DeviceTransfer.runtime(for: device, op: "matmul").0
        guard let multiplier = runtime.matrixMultiplier else {
            tensorFailure("matmul", "no cuBLAS to multiply matrices on cuda:\(device): \(runtime.availability.summary)")
        }
        func address(_ t: Tensor, _ offset: Int) -> DevicePointer { t.storage.devicePointer.advanced(by: (t.offset + offset) * 4) }
        do {
            try multiplier.multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: address(a, aOffset), lda: transA ? m : k,
                                    b: address(b, bOffset), ldb: transB ? k : n, beta: beta, c: address(c, cOffset), ldc: n, on: device)
        } catch {
            tensorFailure("matmul", "a \(m)×\(k) by \(k)×\(n) product on cuda:\(device) failed: \(error)")
        }
    }
}
