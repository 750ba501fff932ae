import CCUDA

/// The NVRTC functions this build calls (declarations in `CCUDA/shim.h`).
struct NVRTCAPI: @unchecked Sendable {
    // Unchecked: C function pointers, resolved once and never changed.
    let library: DynamicLibrary
    let nvrtcVersion: ccuda_nvrtcVersion
    let nvrtcCreateProgram: ccuda_nvrtcCreateProgram
    let nvrtcCompileProgram: ccuda_nvrtcCompileProgram
    let nvrtcGetProgramLogSize: ccuda_nvrtcGetProgramLogSize
    let nvrtcGetProgramLog: ccuda_nvrtcGetProgramLog
    let nvrtcGetPTXSize: ccuda_nvrtcGetPTXSize
    let nvrtcGetPTX: ccuda_nvrtcGetPTX
    let nvrtcDestroyProgram: ccuda_nvrtcDestroyProgram
    let nvrtcGetErrorString: ccuda_nvrtcGetErrorString

    init(_ library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        nvrtcVersion = try library.function("nvrtcVersion", as: ccuda_nvrtcVersion.self)
        nvrtcCreateProgram = try library.function("nvrtcCreateProgram", as: ccuda_nvrtcCreateProgram.self)
        nvrtcCompileProgram = try library.function("nvrtcCompileProgram", as: ccuda_nvrtcCompileProgram.self)
        nvrtcGetProgramLogSize = try library.function("nvrtcGetProgramLogSize", as: ccuda_nvrtcGetProgramLogSize.self)
        nvrtcGetProgramLog = try library.function("nvrtcGetProgramLog", as: ccuda_nvrtcGetProgramLog.self)
        nvrtcGetPTXSize = try library.function("nvrtcGetPTXSize", as: ccuda_nvrtcGetPTXSize.self)
        nvrtcGetPTX = try library.function("nvrtcGetPTX", as: ccuda_nvrtcGetPTX.self)
        nvrtcDestroyProgram = try library.function("nvrtcDestroyProgram", as: ccuda_nvrtcDestroyProgram.self)
        nvrtcGetErrorString = try library.function("nvrtcGetErrorString", as: ccuda_nvrtcGetErrorString.self)
    }

    /// NVRTC's version, `major.minor`.
    var version: (major: Int, minor: Int) {
        var major: Int32 = 0, minor: Int32 = 0
        _ = nvrtcVersion(&major, &minor)
        return (Int(major), Int(minor))
    }

    /// Throws a ``CUDAError/library(call:code:message:)`` for a non-zero `result`.
    func check(_ result: nvrtcResult, _ call: String) throws(CUDAError) {
        guard result != 0 else { return }
        throw .library(call: call, code: result, message: nvrtcGetErrorString(result).map { String(cString: $0) } ?? "NVRTC error")
    }
}
