#if canImport(Glibc)
import Glibc
#endif
import CCUDA

/// Something that turns a kernel source into PTX for one GPU architecture: NVRTC
/// (``NVRTCCompiler``), or a test's counting fake.
public protocol KernelCompiler: Sendable {
    /// The compiler and its version, e.g. `nvrtc-13.2`: part of the cache key, so a new NVRTC
    /// recompiles.
    var identity: String { get }
    /// PTX for `source` on `compute_<architecture>`, or an error with the compiler's log.
    func compile(_ source: CUDAKernelSource, architecture: Int) throws -> String
}

/// NVRTC, loaded at run time (no CUDA toolkit at build time, no GPU needed to compile).
public struct NVRTCCompiler: KernelCompiler {
    /// The options every kernel is compiled with (besides the architecture). `--fmad=false`
    /// keeps each float operation rounded on its own, as the CPU kernels are, so the optimizers'
    /// fused steps give the CPU's bits.
    public static let options = ["--fmad=false", "--std=c++17"]

    let api: NVRTCAPI
    public let identity: String
    /// Where NVRTC was loaded from.
    public var libraryPath: String { api.library.path }

    init(api: NVRTCAPI) {
        self.api = api
        identity = "nvrtc-\(api.version.major).\(api.version.minor)"
    }

    /// NVRTC from the first location `search` finds, or why none works.
    public static func load(search: CUDALibrarySearch) -> Result<NVRTCCompiler, CUDAUnavailable> {
        CUDALibraryLoader.loadNVRTC(search: search).map(NVRTCCompiler.init)
    }

    public func compile(_ source: CUDAKernelSource, architecture: Int) throws -> String {
        var program: nvrtcProgram?
        try api.check(api.nvrtcCreateProgram(&program, source.code, "\(source.name).cu", 0, nil, nil), "nvrtcCreateProgram(\(source.name))")
        defer { _ = api.nvrtcDestroyProgram(&program) }
        let arguments = ["--gpu-architecture=compute_\(architecture)"] + Self.options
        var cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let result = cStrings.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) { api.nvrtcCompileProgram(program, Int32($0.count), $0.baseAddress) }
        }
        if result != 0 {
            throw CUDAError.compilation(source: source.name, log: log(of: program))
        }
        var size = 0
        try api.check(api.nvrtcGetPTXSize(program, &size), "nvrtcGetPTXSize")
        var ptx = [CChar](repeating: 0, count: Swift.max(size, 1))
        try api.check(api.nvrtcGetPTX(program, &ptx), "nvrtcGetPTX")
        return ptx.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The compiler's messages for `program`.
    private func log(of program: nvrtcProgram?) -> String {
        var size = 0
        guard api.nvrtcGetProgramLogSize(program, &size) == 0, size > 1 else { return "(no log)" }
        var text = [CChar](repeating: 0, count: size)
        _ = api.nvrtcGetProgramLog(program, &text)
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
