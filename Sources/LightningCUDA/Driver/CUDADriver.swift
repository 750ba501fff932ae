/// The operations on GPUs that the tensor library needs, behind a protocol so that memory
/// bookkeeping, device choice and tensor moves are tested with a deterministic fake
/// (`FakeCUDADriver` in LightningTestSupport) on machines without a GPU.
///
/// ``DriverAPIDriver`` implements it over the driver API. Every call names its device ordinal:
/// an implementation makes that device current as it needs to.
public protocol CUDADriver: AnyObject, Sendable {
    /// The driver's CUDA version, e.g. `13000` for 13.0.
    var version: Int { get }
    /// The devices visible to this process (after `CUDA_VISIBLE_DEVICES`).
    var deviceCount: Int { get }
    /// Name, compute capability and memory of device `ordinal`.
    func properties(of ordinal: Int) throws -> CUDADeviceProperties
    /// `byteCount` bytes of device memory (a driver allocation: slow, synchronizing).
    func allocate(byteCount: Int, on device: Int) throws -> DevicePointer
    /// Returns memory from ``allocate(byteCount:on:)``.
    func free(_ pointer: DevicePointer, on device: Int) throws
    /// Copies `byteCount` bytes from host memory to the device (complete when it returns).
    func copy(toDevice destination: DevicePointer, from source: UnsafeRawPointer, byteCount: Int, on device: Int) throws
    /// Copies `byteCount` bytes from the device to host memory (complete when it returns).
    func copy(toHost destination: UnsafeMutableRawPointer, from source: DevicePointer, byteCount: Int, on device: Int) throws
    /// Copies `byteCount` bytes between two allocations of one device.
    func copy(onDevice destination: DevicePointer, from source: DevicePointer, byteCount: Int, on device: Int) throws
    /// Sets `byteCount` bytes to zero.
    func zero(_ destination: DevicePointer, byteCount: Int, on device: Int) throws
    /// Loads compiled PTX for `device`; the handle stays valid for the process.
    func loadModule(ptx: String, on device: Int) throws -> CUDAModuleHandle
    /// The kernel `name` (an `extern "C"` name) of a loaded module.
    func function(named name: String, in module: CUDAModuleHandle) throws -> CUDAFunctionHandle
    /// Starts `function` on `grid` blocks of `block` threads with `arguments` in the kernel's
    /// parameter order, on the device's stream.
    func launch(_ function: CUDAFunctionHandle, grid: LaunchDimensions, block: LaunchDimensions, sharedBytes: Int,
                arguments: [KernelArgument], on device: Int) throws
    /// Waits until everything started on the device has finished.
    func synchronize(device: Int) throws
}

/// A device address (`CUdeviceptr`).
public struct DevicePointer: Hashable, Sendable, CustomStringConvertible {
    /// The address.
    public let address: UInt64
    /// Wraps `address`.
    public init(address: UInt64) { self.address = address }
    /// The address `byteOffset` bytes further.
    public func advanced(by byteOffset: Int) -> DevicePointer { DevicePointer(address: address + UInt64(byteOffset)) }
    public var description: String { "0x" + String(address, radix: 16) }
}

/// A loaded module (`CUmodule`), as an address.
public struct CUDAModuleHandle: Hashable, Sendable {
    /// The handle's bits.
    public let bits: UInt
    /// Wraps `bits`.
    public init(bits: UInt) { self.bits = bits }
}

/// A kernel (`CUfunction`), as an address.
public struct CUDAFunctionHandle: Hashable, Sendable {
    /// The handle's bits.
    public let bits: UInt
    /// Wraps `bits`.
    public init(bits: UInt) { self.bits = bits }
}

/// A grid or block size.
public struct LaunchDimensions: Equatable, Sendable {
    /// Along x, y and z.
    public var x: Int, y: Int, z: Int
    /// `x × y × z`.
    public init(_ x: Int, _ y: Int = 1, _ z: Int = 1) { (self.x, self.y, self.z) = (x, y, z) }
}

/// One kernel parameter, passed by value as the kernel declares it.
public enum KernelArgument: Equatable, Sendable {
    /// A device pointer (`float*`, `const long long*`, …).
    case pointer(DevicePointer)
    /// An `int`.
    case int32(Int32)
    /// A `long long`.
    case int64(Int64)
    /// An `unsigned long long`.
    case uint64(UInt64)
    /// A `float`.
    case float(Float)
    /// A struct passed by value (a kernel's geometry), as its bytes in C layout.
    case bytes([UInt8])

    /// The bytes the kernel parameter occupies.
    public var byteCount: Int {
        switch self {
        case .int32, .float: return 4
        case .pointer, .int64, .uint64: return 8
        case .bytes(let bytes): return bytes.count
        }
    }

    /// Writes the value at `slot` (8-byte aligned, ``byteCount`` bytes long).
    public func store(at slot: UnsafeMutableRawPointer) {
        switch self {
        case .pointer(let p): slot.storeBytes(of: p.address, as: UInt64.self)
        case .int32(let v): slot.storeBytes(of: v, as: Int32.self)
        case .int64(let v): slot.storeBytes(of: v, as: Int64.self)
        case .uint64(let v): slot.storeBytes(of: v, as: UInt64.self)
        case .float(let v): slot.storeBytes(of: v, as: Float.self)
        case .bytes(let bytes): bytes.withUnsafeBytes { slot.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        }
    }

    /// The 8-byte-aligned offset of each argument in one buffer, and the buffer's size.
    public static func layout(_ arguments: [KernelArgument]) -> (offsets: [Int], byteCount: Int) {
        var offsets: [Int] = []
        var end = 0
        for argument in arguments {
            offsets.append(end)
            end += (argument.byteCount + 7) & ~7
        }
        return (offsets, Swift.max(end, 8))
    }
}

/// What a device is.
public struct CUDADeviceProperties: Equatable, Sendable {
    /// The marketing name, e.g. "NVIDIA H200".
    public var name: String
    /// The compute capability's major and minor numbers (9 and 0 on Hopper).
    public var major: Int, minor: Int
    /// Total memory in bytes.
    public var totalMemory: Int

    /// A device description.
    public init(name: String, major: Int, minor: Int, totalMemory: Int) {
        (self.name, self.major, self.minor, self.totalMemory) = (name, major, minor, totalMemory)
    }

    /// The architecture number NVRTC takes, e.g. `90` for `compute_90`.
    public var architecture: Int { major * 10 + minor }
}
