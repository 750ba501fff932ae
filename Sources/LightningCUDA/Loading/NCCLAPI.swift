import CCUDA

/// The NCCL functions this build calls (declarations in `CCUDA/shim.h`).
struct NCCLAPI: @unchecked Sendable {
    // Unchecked: C function pointers, resolved once and never changed.
    let library: DynamicLibrary
    let ncclGetVersion: ccuda_ncclGetVersion
    let ncclGetUniqueId: ccuda_ncclGetUniqueId
    let ncclCommInitRank: ccuda_ncclCommInitRank
    let ncclAllReduce: ccuda_ncclAllReduce
    let ncclCommDestroy: ccuda_ncclCommDestroy
    let ncclGetErrorString: ccuda_ncclGetErrorString

    init(_ library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        ncclGetVersion = try library.function("ncclGetVersion", as: ccuda_ncclGetVersion.self)
        ncclGetUniqueId = try library.function("ncclGetUniqueId", as: ccuda_ncclGetUniqueId.self)
        ncclCommInitRank = try library.function("ncclCommInitRank", as: ccuda_ncclCommInitRank.self)
        ncclAllReduce = try library.function("ncclAllReduce", as: ccuda_ncclAllReduce.self)
        ncclCommDestroy = try library.function("ncclCommDestroy", as: ccuda_ncclCommDestroy.self)
        ncclGetErrorString = try library.function("ncclGetErrorString", as: ccuda_ncclGetErrorString.self)
    }

    /// NCCL's version as `major.minor.patch`.
    var version: String {
        var code: Int32 = 0
        _ = ncclGetVersion(&code)
        return "\(code / 10000).\(code / 100 % 100).\(code % 100)"
    }
}
