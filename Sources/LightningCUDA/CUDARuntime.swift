import Foundation
import Synchronization

/// CUDA in this process: what was found (``availability``), the driver, one caching allocator
/// per device and the compiled kernels.
///
/// ``shared`` loads the libraries the first time something asks for a GPU; a process that never
/// does (every CPU run) never opens a CUDA library. Tests install a runtime over a fake driver
/// with ``install(_:)``.
public final class CUDARuntime: Sendable {
    /// What was found, and what is missing.
    public let availability: CUDAAvailability
    /// The driver, when one loaded.
    public let driver: (any CUDADriver)?
    /// Compiled kernels on disk, when a compiler loaded.
    public let kernelCache: KernelCache?
    /// Matrix products, when cuBLAS loaded.
    public let matrixMultiplier: (any CUDAMatrixMultiplier)?
    private let allocators: [CachingDeviceAllocator]
    private let functions = Mutex<[FunctionKey: CUDAFunctionHandle]>([:])

    private struct FunctionKey: Hashable {
        let source: String, kernel: String, device: Int
    }

    /// A runtime over `driver` (nil: none), `compiler` and `matrixMultiplier`, reporting `availability`.
    public init(availability: CUDAAvailability, driver: (any CUDADriver)?, compiler: (any KernelCompiler)?,
                matrixMultiplier: (any CUDAMatrixMultiplier)? = nil, cacheDirectory: String) {
        self.availability = availability
        self.driver = driver
        self.matrixMultiplier = matrixMultiplier
        self.kernelCache = compiler.map { KernelCache(directory: cacheDirectory, compiler: $0) }
        self.allocators = driver.map { driver in (0..<driver.deviceCount).map { CachingDeviceAllocator(device: $0, driver: driver) } } ?? []
    }

    // MARK: - The process's runtime

    private static let current = Mutex<CUDARuntime?>(nil)

    /// This process's runtime: the libraries are loaded on first use.
    public static var shared: CUDARuntime {
        current.withLock { runtime in
            if let runtime { return runtime }
            let loaded = probe(environment: ProcessInfo.processInfo.environment)
            runtime = loaded
            return loaded
        }
    }

    /// Replaces this process's runtime (tests: a fake driver); `nil` loads the real one again on next use.
    package static func install(_ runtime: CUDARuntime?) {
        current.withLock { $0 = runtime }
    }

    /// Loads what `environment` lets the library search find.
    static func probe(environment: [String: String]) -> CUDARuntime {
        let search = CUDALibrarySearch(environment: environment) { folder in
            (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        }
        let loaded = CUDALibraryLoader.load(search: search, visibleDevices: environment["CUDA_VISIBLE_DEVICES"])
        let multiplier = loaded.cublas.flatMap { api in loaded.driver.map { CUBLASMultiplier(api: api, driver: $0) } }
        return CUDARuntime(availability: loaded.availability, driver: loaded.driver, compiler: loaded.nvrtc.map(NVRTCCompiler.init),
                           matrixMultiplier: multiplier, cacheDirectory: KernelCache.defaultDirectory(environment: environment))
    }

    // MARK: - Devices and kernels

    /// Throws unless `device` can hold tensors: a driver that shows it.
    public func requireDevice(_ device: Int) throws {
        guard let driver else { throw CUDAError.unavailable(availability.problem ?? "no CUDA driver") }
        guard device >= 0 && device < driver.deviceCount else { throw CUDAError.noSuchDevice(ordinal: device, count: driver.deviceCount) }
    }

    /// The caching allocator of `device`.
    public func allocator(for device: Int) throws -> CachingDeviceAllocator {
        try requireDevice(device)
        return allocators[device]
    }

    /// `kernel` of `source` on `device`, compiled (or read from the cache) and loaded on first use.
    public func function(_ kernel: String, in source: CUDAKernelSource, device: Int) throws -> CUDAFunctionHandle {
        let key = FunctionKey(source: source.name, kernel: kernel, device: device)
        if let known = functions.withLock({ $0[key] }) { return known }
        try requireDevice(device)
        guard let driver, let kernelCache else { throw CUDAError.unavailable(availability.problem ?? "no NVRTC to compile kernels") }
        let ptx = try kernelCache.ptx(for: source, architecture: try driver.properties(of: device).architecture)
        let module = try driver.loadModule(ptx: ptx, on: device)
        var loaded: [FunctionKey: CUDAFunctionHandle] = [:]
        for name in source.kernels {
            loaded[FunctionKey(source: source.name, kernel: name, device: device)] = try driver.function(named: name, in: module)
        }
        functions.withLock { $0.merge(loaded) { old, _ in old } }
        guard let function = loaded[key] else { throw CUDAError.unavailable("kernel \(kernel) is not defined by source \(source.name)") }
        return function
    }

    /// Threads per block of the elementwise launches.
    public static let blockSize = 256

    /// Launches `kernel` over `count` elements with a grid-stride loop: enough blocks to fill the
    /// device a few times over, never more than the elements need.
    public func launch(_ kernel: String, in source: CUDAKernelSource, device: Int, elements count: Int, arguments: [KernelArgument]) throws {
        guard count > 0 else { return }
        let blocks = Swift.min((count + Self.blockSize - 1) / Self.blockSize, 65_535)
        try launch(kernel, in: source, device: device, grid: LaunchDimensions(blocks), block: LaunchDimensions(Self.blockSize),
                   sharedBytes: 0, arguments: arguments)
    }

    /// Launches `kernel` with an explicit grid, block and shared memory.
    public func launch(_ kernel: String, in source: CUDAKernelSource, device: Int, grid: LaunchDimensions, block: LaunchDimensions,
                       sharedBytes: Int, arguments: [KernelArgument]) throws {
        guard let driver else { throw CUDAError.unavailable(availability.problem ?? "no CUDA driver") }
        try driver.launch(try function(kernel, in: source, device: device), grid: grid, block: block, sharedBytes: sharedBytes,
                          arguments: arguments, on: device)
    }
}
