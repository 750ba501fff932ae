import CCUDA

/// The cuBLAS functions this build calls (declarations in `CCUDA/shim.h`, the `_v2` symbols).
struct CUBLASAPI: @unchecked Sendable {
    // Unchecked: C function pointers, resolved once and never changed.
    let library: DynamicLibrary
    let cublasCreate: ccuda_cublasCreate
    let cublasDestroy: ccuda_cublasDestroy
    let cublasGetProperty: ccuda_cublasGetProperty
    let cublasSetStream: ccuda_cublasSetStream
    let cublasSetMathMode: ccuda_cublasSetMathMode
    let cublasSgemm: ccuda_cublasSgemm

    init(_ library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        cublasCreate = try library.function("cublasCreate_v2", as: ccuda_cublasCreate.self)
        cublasDestroy = try library.function("cublasDestroy_v2", as: ccuda_cublasDestroy.self)
        cublasGetProperty = try library.function("cublasGetProperty", as: ccuda_cublasGetProperty.self)
        cublasSetStream = try library.function("cublasSetStream_v2", as: ccuda_cublasSetStream.self)
        cublasSetMathMode = try library.function("cublasSetMathMode", as: ccuda_cublasSetMathMode.self)
        cublasSgemm = try library.function("cublasSgemm_v2", as: ccuda_cublasSgemm.self)
    }

    /// cuBLAS's version, `major.minor.patch`.
    var version: String {
        var parts: [Int32] = [0, 0, 0]
        for i in 0..<3 { _ = cublasGetProperty(Int32(i), &parts[i]) }
        return parts.map(String.init).joined(separator: ".")
    }

    /// Throws a ``CUDAError/library(call:code:message:)`` for a non-zero `status`.
    func check(_ status: cublasStatus_t, _ call: String) throws(CUDAError) {
        guard status != 0 else { return }
        throw .library(call: call, code: status, message: "cuBLAS status \(status) (cublas_api.h: cublasStatus_t)")
    }
}
