import CCUDA

/// ``CUDADriver`` over the driver API (`libcuda.so.1`): one primary context per device, made
/// current on the calling thread before each call (a thread-local store in the driver), and the
/// default stream, so each call is ordered after the previous ones.
public final class DriverAPIDriver: CUDADriver, @unchecked Sendable {
    // Unchecked: `api` and the context list are set in init and never change.
    private let api: DriverAPI
    private let contexts: [CUcontext?]
    public let version: Int
    public var deviceCount: Int { contexts.count }
    /// Where `libcuda` was opened from.
    public var libraryPath: String { api.library.path }

    /// Initializes the driver and retains each visible device's primary context.
    init(api: DriverAPI) throws(CUDAError) {
        self.api = api
        try api.check(api.cuInit(0), "cuInit")
        var version: Int32 = 0
        try api.check(api.cuDriverGetVersion(&version), "cuDriverGetVersion")
        self.version = Int(version)
        var count: Int32 = 0
        let counted = api.cuDeviceGetCount(&count)
        // CUDA_ERROR_NO_DEVICE (100): a driver with nothing visible is a device count of zero.
        if counted != 100 { try api.check(counted, "cuDeviceGetCount") }
        var contexts: [CUcontext?] = []
        for ordinal in 0..<Int(counted == 100 ? 0 : count) {
            var device: CUdevice = 0
            try api.check(api.cuDeviceGet(&device, Int32(ordinal)), "cuDeviceGet(\(ordinal))")
            var context: CUcontext?
            try api.check(api.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain(\(ordinal))")
            contexts.append(context)
        }
        self.contexts = contexts
    }

    /// Makes `device`'s context current on this thread, for libraries that use the current
    /// context (cuBLAS, NCCL).
    func makeCurrent(_ device: Int) throws(CUDAError) { try enter(device) }

    /// Makes `device`'s context current on this thread.
    private func enter(_ device: Int) throws(CUDAError) {
        guard device >= 0 && device < contexts.count else { throw .noSuchDevice(ordinal: device, count: contexts.count) }
        try api.check(api.cuCtxSetCurrent(contexts[device]), "cuCtxSetCurrent(\(device))")
    }

    public func properties(of ordinal: Int) throws -> CUDADeviceProperties {
        guard ordinal >= 0 && ordinal < contexts.count else { throw CUDAError.noSuchDevice(ordinal: ordinal, count: contexts.count) }
        var device: CUdevice = 0
        try api.check(api.cuDeviceGet(&device, Int32(ordinal)), "cuDeviceGet(\(ordinal))")
        var name = [CChar](repeating: 0, count: 256)
        try api.check(api.cuDeviceGetName(&name, Int32(name.count), device), "cuDeviceGetName")
        var major: Int32 = 0, minor: Int32 = 0
        // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR and _MINOR.
        try api.check(api.cuDeviceGetAttribute(&major, 75, device), "cuDeviceGetAttribute(major)")
        try api.check(api.cuDeviceGetAttribute(&minor, 76, device), "cuDeviceGetAttribute(minor)")
        var bytes = 0
        try api.check(api.cuDeviceTotalMem(&bytes, device), "cuDeviceTotalMem")
        let text = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return CUDADeviceProperties(name: text, major: Int(major), minor: Int(minor), totalMemory: bytes)
    }

    public func allocate(byteCount: Int, on device: Int) throws -> DevicePointer {
        try enter(device)
        var pointer: CUdeviceptr = 0
        try api.check(api.cuMemAlloc(&pointer, Swift.max(byteCount, 1)), "cuMemAlloc(\(byteCount) bytes on cuda:\(device))")
        return DevicePointer(address: pointer)
    }

    public func free(_ pointer: DevicePointer, on device: Int) throws {
        try enter(device)
        try api.check(api.cuMemFree(pointer.address), "cuMemFree")
    }

    public func copy(toDevice destination: DevicePointer, from source: UnsafeRawPointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try enter(device)
        try api.check(api.cuMemcpyHtoD(destination.address, source, byteCount), "cuMemcpyHtoD")
    }

    public func copy(toHost destination: UnsafeMutableRawPointer, from source: DevicePointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try enter(device)
        try api.check(api.cuMemcpyDtoH(destination, source.address, byteCount), "cuMemcpyDtoH")
    }

    public func copy(onDevice destination: DevicePointer, from source: DevicePointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try enter(device)
        try api.check(api.cuMemcpyDtoD(destination.address, source.address, byteCount), "cuMemcpyDtoD")
    }

    public func zero(_ destination: DevicePointer, byteCount: Int, on device: Int) throws {
        guard byteCount > 0 else { return }
        try enter(device)
        try api.check(api.cuMemsetD8(destination.address, 0, byteCount), "cuMemsetD8")
    }

    public func loadModule(ptx: String, on device: Int) throws -> CUDAModuleHandle {
        try enter(device)
        var module: CUmodule?
        let result = ptx.withCString { api.cuModuleLoadData(&module, $0) }
        try api.check(result, "cuModuleLoadData")
        return CUDAModuleHandle(bits: UInt(bitPattern: module))
    }

    public func function(named name: String, in module: CUDAModuleHandle) throws -> CUDAFunctionHandle {
        var function: CUfunction?
        try api.check(api.cuModuleGetFunction(&function, OpaquePointer(bitPattern: module.bits), name), "cuModuleGetFunction(\(name))")
        return CUDAFunctionHandle(bits: UInt(bitPattern: function))
    }

    public func launch(_ function: CUDAFunctionHandle, grid: LaunchDimensions, block: LaunchDimensions, sharedBytes: Int,
                       arguments: [KernelArgument], on device: Int) throws {
        try enter(device)
        // Each parameter's value at an 8-byte-aligned offset, and the array of their addresses cuLaunchKernel reads.
        let (offsets, byteCount) = KernelArgument.layout(arguments)
        try withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16) { values in
            try withUnsafeTemporaryAllocation(of: UnsafeMutableRawPointer?.self, capacity: Swift.max(arguments.count, 1)) { pointers in
                for (i, argument) in arguments.enumerated() {
                    let slot = values.baseAddress! + offsets[i]
                    argument.store(at: slot)
                    pointers[i] = slot
                }
                try api.check(api.cuLaunchKernel(OpaquePointer(bitPattern: function.bits), UInt32(grid.x), UInt32(grid.y), UInt32(grid.z),
                                                 UInt32(block.x), UInt32(block.y), UInt32(block.z), UInt32(sharedBytes), nil,
                                                 pointers.baseAddress, nil), "cuLaunchKernel")
            }
        }
    }

    public func synchronize(device: Int) throws {
        try enter(device)
        try api.check(api.cuCtxSynchronize(), "cuCtxSynchronize")
    }
}
