import COpenBLAS
import Foundation
import LightningCUDA
import Synchronization

/// Runs the backend's CUDA C kernels on the host, so their arithmetic is checked on machines
/// without a GPU: each source is compiled as C++ by the toolchain's `clang++` (a prelude maps
/// `__global__`, `blockIdx`, `__umulhi`, … to host code) into a shared library, and a launch calls
/// the kernel once with a grid of one block of one thread. Every kernel of the backend covers any
/// grid with grid-stride loops and reduces within a block in a fixed order, so one thread computes
/// what the GPU's grid would; what this cannot check is the parallel schedule itself.
public final class HostKernelExecutor: Sendable {
    /// What a kernel source needs to compile as host C++.
    static let prelude = """
    #include <math.h>
    #include <string.h>
    struct EmulatedDim { unsigned x, y, z; };
    static const EmulatedDim blockIdx = {0, 0, 0}, threadIdx = {0, 0, 0}, blockDim = {1, 1, 1}, gridDim = {1, 1, 1};
    extern "C" { float shared[64]; }
    #define __global__
    #define __device__
    #define __forceinline__ inline
    #define __shared__
    #define __syncthreads() ((void)0)
    static inline unsigned __umulhi(unsigned a, unsigned b) { return (unsigned)(((unsigned long long)a * b) >> 32); }
    static inline float __int_as_float(int bits) { float f; memcpy(&f, &bits, 4); return f; }
    static inline int atomicMin(int* address, int value) { int old = *address; if (value < old) *address = value; return old; }

    """

    /// One executor for the test process: each source is compiled once.
    public static let shared = HostKernelExecutor()

    /// Whether `clang++` runs.
    public static let compilerAvailable: Bool = (try? ChildProcess.run("clang++", ["--version"], timeout: 60).succeeded) ?? false

    private let folder: String
    private let libraries = Mutex<[String: UInt]>([:])

    /// An executor compiling into `folder`, where libraries compiled earlier (by this or another
    /// test process) are reused: each is named by the hash of its C++ text and renamed into place whole.
    public init(folder: String = NSTemporaryDirectory() + "swift-lightning-host-kernels-\(getuid())") {
        self.folder = folder
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// The kernels a source defines, with their parameter types, from their `extern "C" __global__` lines.
    static func signatures(in source: String) -> [(name: String, parameterTypes: [String])] {
        let pattern = try! NSRegularExpression(pattern: #"extern "C" __global__ void (\w+)\(([^)]*)\)"#)
        return pattern.matches(in: source, range: NSRange(source.startIndex..., in: source)).map { match in
            let name = String(source[Range(match.range(at: 1), in: source)!])
            let parameters = source[Range(match.range(at: 2), in: source)!].split(separator: ",").map { parameter in
                // "const float* x" → "const float*": everything before the parameter's name.
                let text = parameter.trimmingCharacters(in: .whitespacesAndNewlines)
                let nameStart = text.lastIndex { !($0.isLetter || $0.isNumber || $0 == "_") }.map { text.index(after: $0) } ?? text.startIndex
                return text[..<nameStart].trimmingCharacters(in: .whitespaces)
            }
            return (name, parameters)
        }
    }

    /// The source with the prelude and, per kernel, an `emulated_<name>(void** parameters)` that
    /// unpacks `cuLaunchKernel`'s parameter array.
    static func hostSource(_ source: String) -> String {
        let launchers = signatures(in: source).map { kernel in
            let arguments = kernel.parameterTypes.enumerated().map { "*(\($0.element)*)parameters[\($0.offset)]" }.joined(separator: ", ")
            return "extern \"C\" void emulated_\(kernel.name)(void** parameters) { \(kernel.name)(\(arguments)); }"
        }
        return prelude + source + "\n" + launchers.joined(separator: "\n") + "\n"
    }

    /// The shared library of `source`, compiled on first use.
    private func library(for source: String) throws -> UnsafeMutableRawPointer {
        let text = Self.hostSource(source)
        let key = String(Self.fnv1a64(text), radix: 16)
        if let loaded = libraries.withLock({ $0[key] }) { return UnsafeMutableRawPointer(bitPattern: loaded)! }
        let so = "\(folder)/\(key).so"
        if !FileManager.default.fileExists(atPath: so) {
            let unique = "\(folder)/\(key)-\(getpid())"
            try text.write(toFile: unique + ".cpp", atomically: true, encoding: .utf8)
            let result = try ChildProcess.run("clang++", ["-std=c++17", "-O1", "-ffp-contract=off", "-fPIC", "-shared", "-w", unique + ".cpp", "-o", unique + ".so"],
                                              timeout: 300)
            try? FileManager.default.removeItem(atPath: unique + ".cpp")
            guard result.succeeded else { throw CUDAError.compilation(source: "host emulation", log: result.stderr) }
            rename(unique + ".so", so)
        }
        guard let handle = dlopen(so, RTLD_NOW | RTLD_LOCAL) else { throw CUDAError.unavailable(String(cString: dlerror())) }
        libraries.withLock { $0[key] = UInt(bitPattern: handle) }
        return handle
    }

    /// 64-bit FNV-1a of `text` (a stable name across processes, unlike `hashValue`).
    static func fnv1a64(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }

    /// Runs kernel `name` of `source` on `arguments` (device pointers are host addresses).
    public func run(_ name: String, source: String, arguments: [KernelArgument]) throws {
        guard let symbol = dlsym(try library(for: source), "emulated_\(name)") else {
            throw CUDAError.missingSymbol(library: "host emulation", symbol: name)
        }
        let launch = unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<UnsafeMutableRawPointer?>) -> Void).self)
        let (offsets, byteCount) = KernelArgument.layout(arguments)
        let values = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: Swift.max(arguments.count, 1))
        defer { values.deallocate(); pointers.deallocate() }
        for (i, argument) in arguments.enumerated() {
            argument.store(at: values + offsets[i])
            pointers[i] = values + offsets[i]
        }
        launch(pointers)
    }
}

/// A ``KernelCompiler`` whose "PTX" is the CUDA source itself, for ``HostKernelExecutor`` to
/// compile on the host when the fake driver loads it.
public struct HostKernelCompiler: KernelCompiler {
    public let identity = "host-emulation"
    public init() {}
    public func compile(_ source: CUDAKernelSource, architecture: Int) throws -> String { source.code }
}

/// cuBLAS's products on the host (OpenBLAS), over the fake driver's host-memory "device" pointers.
public struct HostMatrixMultiplier: CUDAMatrixMultiplier {
    public init() {}
    public func multiply(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: DevicePointer, lda: Int,
                         b: DevicePointer, ldb: Int, beta: Float, c: DevicePointer, ldc: Int, on device: Int) throws {
        func host(_ p: DevicePointer) -> UnsafeMutablePointer<Float> { FakeCUDADriver.host(p)!.assumingMemoryBound(to: Float.self) }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    alpha, host(a), Int32(lda), host(b), Int32(ldb), beta, host(c), Int32(ldc))
    }
}
