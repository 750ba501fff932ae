#if canImport(Glibc)
import Glibc
#endif
import LightningCUDA
import Synchronization

/// A deterministic ``CUDADriver`` for machines without a GPU: "device memory" is host memory
/// (so copies to and from it are real and checkable) at addresses the host cannot dereference
/// (bit 62 set: not canonical on x86-64, so a CPU kernel that reads a GPU tensor faults, as it
/// would on a GPU), allocations and launches are counted and
/// recorded, and a memory limit makes allocations fail as a full GPU's do. Kernels are recorded,
/// and run on the host when an ``HostKernelExecutor`` is given (``HostKernelCompiler`` then hands
/// it the CUDA source as the module's "PTX").
public final class FakeCUDADriver: CUDADriver, Sendable {
    /// One recorded launch.
    public struct Launch: Equatable, Sendable {
        /// The kernel's name.
        public let kernel: String
        /// The device it ran on.
        public let device: Int
        /// Its grid and block.
        public let grid: LaunchDimensions, block: LaunchDimensions
        /// Its arguments.
        public let arguments: [KernelArgument]
    }

    /// The bit that marks a fake device address.
    static let deviceBit: UInt64 = 1 << 62

    /// The host address behind a fake device address (`nil` stays `nil`).
    public static func host(_ pointer: DevicePointer) -> UnsafeMutableRawPointer? {
        UnsafeMutableRawPointer(bitPattern: UInt(pointer.address & ~deviceBit))
    }

    public let version: Int
    public let deviceCount: Int
    /// Every device's properties.
    public let properties: CUDADeviceProperties
    /// Bytes each device holds before allocations fail (`nil`: no limit).
    public let memoryLimit: Int?
    /// Runs launched kernels, when given.
    public let executor: HostKernelExecutor?

    private struct State {
        var blocks: [UInt64: (device: Int, byteCount: Int)] = [:]
        var allocations = 0, frees = 0
        var modules: [UInt: String] = [:]
        var functions: [UInt: (name: String, module: UInt)] = [:]
        var launches: [Launch] = []
        var nextHandle: UInt = 1
    }
    private let state = Mutex(State())

    /// `deviceCount` devices described by `properties`, each holding `memoryLimit` bytes.
    public init(deviceCount: Int, properties: CUDADeviceProperties = CUDADeviceProperties(name: "Fake GPU", major: 9, minor: 0, totalMemory: 1 << 30),
                memoryLimit: Int? = nil, version: Int = 13000, executor: HostKernelExecutor? = nil) {
        self.executor = executor
        self.deviceCount = deviceCount
        self.properties = properties
        self.memoryLimit = memoryLimit
        self.version = version
    }

    /// Driver allocations made so far.
    public var allocations: Int { state.withLock { $0.allocations } }
    /// Driver frees made so far.
    public var frees: Int { state.withLock { $0.frees } }
    /// Bytes allocated and not freed, on `device`.
    public func bytesInUse(on device: Int) -> Int { state.withLock { $0.blocks.values.filter { $0.device == device }.reduce(0) { $0 + $1.byteCount } } }
    /// The launches so far, in order.
    public var launches: [Launch] { state.withLock { $0.launches } }

    private func check(_ device: Int) throws {
        guard device >= 0 && device < deviceCount else { throw CUDAError.noSuchDevice(ordinal: device, count: deviceCount) }
    }

    /// The block holding `pointer`, checked to hold `byteCount` bytes from there on `device`.
    private func checkRange(_ pointer: DevicePointer, _ byteCount: Int, _ device: Int) throws {
        try check(device)
        let inside = state.withLock { state in
            state.blocks.contains { start, block in
                block.device == device && pointer.address >= start && pointer.address + UInt64(byteCount) <= start + UInt64(block.byteCount)
            }
        }
        guard inside else {
            throw CUDAError.driver(call: "fake copy", code: 1, name: "CUDA_ERROR_INVALID_VALUE", message: "\(byteCount) bytes at \(pointer) are not allocated on cuda:\(device)")
        }
    }

    public func properties(of ordinal: Int) throws -> CUDADeviceProperties {
        try check(ordinal)
        return properties
    }

    public func allocate(byteCount: Int, on device: Int) throws -> DevicePointer {
        try check(device)
        if let memoryLimit, bytesInUse(on: device) + byteCount > memoryLimit {
            throw CUDAError.driver(call: "cuMemAlloc(\(byteCount) bytes on cuda:\(device))", code: 2, name: "CUDA_ERROR_OUT_OF_MEMORY", message: "out of memory")
        }
        guard let memory = malloc(Swift.max(byteCount, 1)) else { throw CUDAError.unavailable("host memory exhausted") }
        let address = UInt64(UInt(bitPattern: memory)) | Self.deviceBit
        state.withLock { state in
            state.blocks[address] = (device, byteCount)
            state.allocations += 1
        }
        return DevicePointer(address: address)
    }

    public func free(_ pointer: DevicePointer, on device: Int) throws {
        let known = state.withLock { state in
            guard state.blocks[pointer.address]?.device == device else { return false }
            state.blocks[pointer.address] = nil
            state.frees += 1
            return true
        }
        guard known else { throw CUDAError.driver(call: "cuMemFree", code: 1, name: "CUDA_ERROR_INVALID_VALUE", message: "\(pointer) is not a block of cuda:\(device)") }
        Glibc.free(Self.host(pointer))
    }

    private func host(_ pointer: DevicePointer) -> UnsafeMutableRawPointer { Self.host(pointer)! }

    public func copy(toDevice destination: DevicePointer, from source: UnsafeRawPointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try checkRange(destination, byteCount, device)
        host(destination).copyMemory(from: source, byteCount: byteCount)
    }

    public func copy(toHost destination: UnsafeMutableRawPointer, from source: DevicePointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try checkRange(source, byteCount, device)
        destination.copyMemory(from: host(source), byteCount: byteCount)
    }

    public func copy(onDevice destination: DevicePointer, from source: DevicePointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try checkRange(source, byteCount, device)
        try checkRange(destination, byteCount, device)
        host(destination).copyMemory(from: host(source), byteCount: byteCount)
    }

    public func zero(_ destination: DevicePointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try checkRange(destination, byteCount, device)
        host(destination).initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    public func loadModule(ptx: String, on device: Int) throws -> CUDAModuleHandle {
        try check(device)
        return state.withLock { state in
            state.nextHandle += 1
            state.modules[state.nextHandle] = ptx
            return CUDAModuleHandle(bits: state.nextHandle)
        }
    }

    public func function(named name: String, in module: CUDAModuleHandle) throws -> CUDAFunctionHandle {
        try state.withLock { state in
            guard state.modules[module.bits] != nil else { throw CUDAError.unavailable("fake: unknown module") }
            state.nextHandle += 1
            state.functions[state.nextHandle] = (name, module.bits)
            return CUDAFunctionHandle(bits: state.nextHandle)
        }
    }

    public func launch(_ function: CUDAFunctionHandle, grid: LaunchDimensions, block: LaunchDimensions, sharedBytes: Int,
                       arguments: [KernelArgument], on device: Int) throws {
        try check(device)
        // A kernel reads device memory only: a host pointer here would fault on a GPU.
        for (i, argument) in arguments.enumerated() {
            guard case .pointer(let p) = argument, p.address != 0 else { continue }
            if p.address & Self.deviceBit == 0 || (try? checkRange(p, 1, device)) == nil {
                throw CUDAError.driver(call: "cuLaunchKernel", code: 700, name: "CUDA_ERROR_ILLEGAL_ADDRESS",
                                       message: "argument \(i) (\(p)) is not memory of cuda:\(device)")
            }
        }
        let (name, source) = try state.withLock { state in
            guard let function = state.functions[function.bits] else { throw CUDAError.unavailable("fake: unknown function") }
            state.launches.append(Launch(kernel: function.name, device: device, grid: grid, block: block, arguments: arguments))
            return (function.name, state.modules[function.module] ?? "")
        }
        // The kernels run on the host: they get the host addresses behind the device pointers.
        try executor?.run(name, source: source, arguments: arguments.map { argument in
            guard case .pointer(let p) = argument, p.address != 0 else { return argument }
            return .pointer(DevicePointer(address: UInt64(UInt(bitPattern: Self.host(p)))))
        })
    }

    public func synchronize(device: Int) throws { try check(device) }
}

extension CUDARuntime {
    /// A runtime over `driver` whose availability says every library is there (a GPU machine's,
    /// as far as the code above the driver can tell), with `compiler` for kernels if given.
    public static func fake(_ driver: FakeCUDADriver, compiler: (any KernelCompiler)? = nil, matrixMultiplier: (any CUDAMatrixMultiplier)? = nil,
                            cacheDirectory: String = "/nonexistent") -> CUDARuntime {
        let availability = CUDAAvailability(driver: .loaded(path: "fake", version: "CUDA 13.0"),
                                            devices: (0..<driver.deviceCount).map { _ in driver.properties },
                                            nvrtc: .loaded(path: "fake", version: "13.0"), cublas: .loaded(path: "fake", version: "13.0.0"),
                                            nccl: .missing("fake: no NCCL"))
        return CUDARuntime(availability: availability, driver: driver, compiler: compiler, matrixMultiplier: matrixMultiplier,
                           cacheDirectory: cacheDirectory)
    }
}

extension FakeCUDADriver {
    /// Runs `body` with this process's CUDA runtime replaced by one over a fake driver of
    /// `deviceCount` devices, then restores the real one.
    public static func installed<R>(deviceCount: Int = 1, _ body: (FakeCUDADriver) throws -> R) rethrows -> R {
        let driver = FakeCUDADriver(deviceCount: deviceCount)
        CUDARuntime.install(.fake(driver))
        defer { CUDARuntime.install(nil) }
        return try body(driver)
    }

    /// Runs `body` with this process's CUDA runtime replaced by one whose kernels run on the host
    /// (``HostKernelExecutor``; host matrix products for cuBLAS's), then restores the real one.
    /// Throws `XCTSkip`-worthy ``CUDAError/unavailable(_:)`` when no `clang++` is on `PATH`.
    public static func emulating<R>(deviceCount: Int = 1, _ body: (FakeCUDADriver) throws -> R) throws -> R {
        guard HostKernelExecutor.compilerAvailable else { throw CUDAError.unavailable("no clang++ on PATH to compile the kernels for the host") }
        let driver = FakeCUDADriver(deviceCount: deviceCount, executor: .shared)
        let folder = TemporaryDirectory(prefix: "emulated-kernels")
        defer { folder.remove() }
        CUDARuntime.install(.fake(driver, compiler: HostKernelCompiler(), matrixMultiplier: HostMatrixMultiplier(), cacheDirectory: folder.path))
        defer { CUDARuntime.install(nil) }
        return try body(driver)
    }
}
