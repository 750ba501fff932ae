import CCUDA

/// The driver API functions this build calls, resolved from `libcuda.so.1` (declarations in
/// `CCUDA/shim.h`, symbol names as `cuda.h` maps them).
struct DriverAPI: @unchecked Sendable {
    // Unchecked: C function pointers, resolved once and never changed.
    let library: DynamicLibrary
    let cuInit: ccuda_cuInit
    let cuDriverGetVersion: ccuda_cuDriverGetVersion
    let cuDeviceGetCount: ccuda_cuDeviceGetCount
    let cuDeviceGet: ccuda_cuDeviceGet
    let cuDeviceGetName: ccuda_cuDeviceGetName
    let cuDeviceGetAttribute: ccuda_cuDeviceGetAttribute
    let cuDeviceTotalMem: ccuda_cuDeviceTotalMem
    let cuDevicePrimaryCtxRetain: ccuda_cuDevicePrimaryCtxRetain
    let cuCtxSetCurrent: ccuda_cuCtxSetCurrent
    let cuCtxSynchronize: ccuda_cuCtxSynchronize
    let cuMemAlloc: ccuda_cuMemAlloc
    let cuMemFree: ccuda_cuMemFree
    let cuMemHostAlloc: ccuda_cuMemHostAlloc
    let cuMemFreeHost: ccuda_cuMemFreeHost
    let cuMemcpyHtoD: ccuda_cuMemcpyHtoD
    let cuMemcpyDtoH: ccuda_cuMemcpyDtoH
    let cuMemcpyDtoD: ccuda_cuMemcpyDtoD
    let cuMemcpyHtoDAsync: ccuda_cuMemcpyHtoDAsync
    let cuMemsetD8: ccuda_cuMemsetD8
    let cuModuleLoadData: ccuda_cuModuleLoadData
    let cuModuleGetFunction: ccuda_cuModuleGetFunction
    let cuLaunchKernel: ccuda_cuLaunchKernel
    let cuStreamCreate: ccuda_cuStreamCreate
    let cuStreamSynchronize: ccuda_cuStreamSynchronize
    let cuGetErrorName: ccuda_cuGetErrorName
    let cuGetErrorString: ccuda_cuGetErrorString

    /// Resolves every function, or names the first one missing.
    init(_ library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        cuInit = try library.function("cuInit", as: ccuda_cuInit.self)
        cuDriverGetVersion = try library.function("cuDriverGetVersion", as: ccuda_cuDriverGetVersion.self)
        cuDeviceGetCount = try library.function("cuDeviceGetCount", as: ccuda_cuDeviceGetCount.self)
        cuDeviceGet = try library.function("cuDeviceGet", as: ccuda_cuDeviceGet.self)
        cuDeviceGetName = try library.function("cuDeviceGetName", as: ccuda_cuDeviceGetName.self)
        cuDeviceGetAttribute = try library.function("cuDeviceGetAttribute", as: ccuda_cuDeviceGetAttribute.self)
        cuDeviceTotalMem = try library.function("cuDeviceTotalMem_v2", as: ccuda_cuDeviceTotalMem.self)
        cuDevicePrimaryCtxRetain = try library.function("cuDevicePrimaryCtxRetain", as: ccuda_cuDevicePrimaryCtxRetain.self)
        cuCtxSetCurrent = try library.function("cuCtxSetCurrent", as: ccuda_cuCtxSetCurrent.self)
        cuCtxSynchronize = try library.function("cuCtxSynchronize", as: ccuda_cuCtxSynchronize.self)
        cuMemAlloc = try library.function("cuMemAlloc_v2", as: ccuda_cuMemAlloc.self)
        cuMemFree = try library.function("cuMemFree_v2", as: ccuda_cuMemFree.self)
        cuMemHostAlloc = try library.function("cuMemHostAlloc", as: ccuda_cuMemHostAlloc.self)
        cuMemFreeHost = try library.function("cuMemFreeHost", as: ccuda_cuMemFreeHost.self)
        cuMemcpyHtoD = try library.function("cuMemcpyHtoD_v2", as: ccuda_cuMemcpyHtoD.self)
        cuMemcpyDtoH = try library.function("cuMemcpyDtoH_v2", as: ccuda_cuMemcpyDtoH.self)
        cuMemcpyDtoD = try library.function("cuMemcpyDtoD_v2", as: ccuda_cuMemcpyDtoD.self)
        cuMemcpyHtoDAsync = try library.function("cuMemcpyHtoDAsync_v2", as: ccuda_cuMemcpyHtoDAsync.self)
        cuMemsetD8 = try library.function("cuMemsetD8_v2", as: ccuda_cuMemsetD8.self)
        cuModuleLoadData = try library.function("cuModuleLoadData", as: ccuda_cuModuleLoadData.self)
        cuModuleGetFunction = try library.function("cuModuleGetFunction", as: ccuda_cuModuleGetFunction.self)
        cuLaunchKernel = try library.function("cuLaunchKernel", as: ccuda_cuLaunchKernel.self)
        cuStreamCreate = try library.function("cuStreamCreate", as: ccuda_cuStreamCreate.self)
        cuStreamSynchronize = try library.function("cuStreamSynchronize", as: ccuda_cuStreamSynchronize.self)
        cuGetErrorName = try library.function("cuGetErrorName", as: ccuda_cuGetErrorName.self)
        cuGetErrorString = try library.function("cuGetErrorString", as: ccuda_cuGetErrorString.self)
    }

    /// Throws a ``CUDAError/driver(call:code:name:message:)`` for a non-zero `result`.
    func check(_ result: CUresult, _ call: String) throws(CUDAError) {
        guard result != 0 else { return }
        var name: UnsafePointer<CChar>?
        var text: UnsafePointer<CChar>?
        _ = cuGetErrorName(result, &name)
        _ = cuGetErrorString(result, &text)
        throw .driver(call: call, code: result, name: name.map { String(cString: $0) } ?? "CUDA error",
                      message: text.map { String(cString: $0) } ?? "no description")
    }
}
