import CCUDA
import Synchronization

/// Matrix products on a GPU, row-major as the tensor library stores matrices: cuBLAS
/// (``CUBLASMultiplier``), or a test's host products.
public protocol CUDAMatrixMultiplier: Sendable {
    /// `C = alpha · op(A) · op(B) + beta · C` with row-major `op(A)` `m×k`, `op(B)` `k×n` and `C`
    /// `m×n` (leading dimensions `lda`, `ldb`, `ldc`); `transA` says `A` is stored `k×m`.
    func multiply(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: DevicePointer, lda: Int,
                  b: DevicePointer, ldb: Int, beta: Float, c: DevicePointer, ldc: Int, on device: Int) throws
}

/// cuBLAS's `cublasSgemm` with one handle per device, on the device's default stream, TF32 off
/// (float32 products stay float32, as PyTorch's default `float32_matmul_precision = "highest"`).
final class CUBLASMultiplier: CUDAMatrixMultiplier, @unchecked Sendable {
    // Unchecked: `api` and `driver` never change; handles are created and read under `handles`.
    private let api: CUBLASAPI
    private let driver: DriverAPIDriver
    private let handles = Mutex<[Int: UInt]>([:])

    init(api: CUBLASAPI, driver: DriverAPIDriver) {
        self.api = api
        self.driver = driver
    }

    /// The handle of `device` (created with the device's context current, as cuBLAS requires).
    private func handle(_ device: Int) throws -> cublasHandle_t? {
        try driver.makeCurrent(device)
        if let bits = handles.withLock({ $0[device] }) { return OpaquePointer(bitPattern: bits) }
        var handle: cublasHandle_t?
        try api.check(api.cublasCreate(&handle), "cublasCreate")
        try api.check(api.cublasSetMathMode(handle, 0), "cublasSetMathMode(CUBLAS_DEFAULT_MATH)")
        handles.withLock { $0[device] = UInt(bitPattern: handle) }
        return handle
    }

    func multiply(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: DevicePointer, lda: Int,
                  b: DevicePointer, ldb: Int, beta: Float, c: DevicePointer, ldc: Int, on device: Int) throws {
        let handle = try handle(device)
        var alpha = alpha, beta = beta
        // Row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ: swap the operands.
        try api.check(api.cublasSgemm(handle, transB ? 1 : 0, transA ? 1 : 0, Int32(n), Int32(m), Int32(k), &alpha,
                                      UnsafePointer(bitPattern: UInt(b.address)), Int32(ldb),
                                      UnsafePointer(bitPattern: UInt(a.address)), Int32(lda), &beta,
                                      UnsafeMutablePointer(bitPattern: UInt(c.address)), Int32(ldc)), "cublasSgemm")
    }
}
