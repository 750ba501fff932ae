#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LightningCUDA
import Synchronization

/// A reference-counted block of memory that tensors view: 64-byte-aligned host memory, or a
/// GPU's memory.
///
/// Host blocks come from ``StoragePool`` and return to it on `deinit`, so a training loop that
/// allocates the same sizes every step stops calling `malloc` after its first step; GPU blocks
/// come from the device's ``CachingDeviceAllocator`` and go back to it likewise.
public final class TensorStorage {
    /// The start of the block (64-byte aligned); kernels in the package write through it. On a
    /// GPU it is the device address, which the host must never dereference.
    package let base: UnsafeMutableRawPointer
    /// The usable size of the block in bytes.
    public let byteCount: Int
    /// Where the block is.
    public let device: Device
    /// Whether the block came from the pool (and goes back to it), or is memory owned elsewhere.
    private let pooled: Bool
    /// The allocator a GPU block goes back to; `nil` for host memory.
    private let deviceAllocator: CachingDeviceAllocator?

    /// Takes a block of at least `byteCount` bytes from the pool; its contents are undefined.
    public init(byteCount: Int) {
        self.byteCount = byteCount
        self.base = StoragePool.shared.take(byteCount: byteCount)
        self.device = .cpu
        self.pooled = true
        self.deviceAllocator = nil
    }

    /// A block of `byteCount` bytes on GPU `ordinal`, from its caching allocator; its contents are undefined.
    package init(cudaDevice ordinal: Int, byteCount: Int, allocator: CachingDeviceAllocator) throws {
        let address = try allocator.allocate(byteCount: byteCount).address
        self.byteCount = byteCount
        self.base = UnsafeMutableRawPointer(bitPattern: UInt(address))!
        self.device = .cuda(ordinal)
        self.pooled = false
        self.deviceAllocator = allocator
    }

    /// The block's device address (a GPU block only).
    package var devicePointer: DevicePointer { DevicePointer(address: UInt64(UInt(bitPattern: base))) }

    /// Views `byteCount` bytes at `base` (64-byte aligned) that something else allocated and keeps
    /// alive longer than any tensor viewing them (a shared-memory window); they are never freed here.
    package init(borrowing base: UnsafeMutableRawPointer, byteCount: Int) {
        precondition(Int(bitPattern: base) % 64 == 0, "TensorStorage(borrowing:): the memory must be 64-byte aligned")
        self.byteCount = byteCount
        self.base = base
        self.device = .cpu
        self.pooled = false
        self.deviceAllocator = nil
    }

    /// Takes a block and fills it with zero bytes.
    public convenience init(zeroedByteCount byteCount: Int) {
        self.init(byteCount: byteCount)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
    }

    deinit {
        if pooled {
            StoragePool.shared.give(base, byteCount: byteCount)
        } else if let deviceAllocator {
            deviceAllocator.release(devicePointer, byteCount: byteCount)
        }
    }
}

/// A free list of aligned blocks keyed by exact size.
///
/// Training reuses the same shapes step after step, so exact-size buckets hit almost always;
/// the pool keeps at most ``limitBytes`` cached and frees the rest.
// Unchecked: the free lists and counters change only inside `lock`; `limitBytes` is set before training starts.
package final class StoragePool: @unchecked Sendable {
    /// The process-wide pool.
    package static let shared = StoragePool()

    /// The most bytes held in free lists before blocks go back to the system.
    package var limitBytes: Int = 1 << 30

    private let lock = Mutex<Void>(())
    private var freeLists: [Int: [UnsafeMutableRawPointer]] = [:]
    private var cachedBytes = 0

    /// Blocks handed out since start that had to come from the system (for tests and benchmarks).
    package private(set) var systemAllocations = 0

    @usableFromInline
    func take(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = Swift.max(byteCount, 1)
        let reused: UnsafeMutableRawPointer? = lock.withLock { _ in
            if let block = freeLists[size]?.popLast() {
                cachedBytes -= size
                return block
            }
            systemAllocations += 1
            return nil
        }
        if let reused { return reused }
        var raw: UnsafeMutableRawPointer?
        let rounded = (size + 63) & ~63
        guard posix_memalign(&raw, 64, rounded) == 0, let raw else {
            fatalError("TensorStorage: out of memory allocating \(size) bytes")
        }
        return raw
    }

    func give(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        let size = Swift.max(byteCount, 1)
        let kept: Bool = lock.withLock { _ in
            guard cachedBytes + size <= limitBytes else { return false }
            freeLists[size, default: []].append(block)
            cachedBytes += size
            return true
        }
        if !kept { free(block) }
    }

    /// Releases every cached block to the system.
    package func drain() {
        let blocks: [UnsafeMutableRawPointer] = lock.withLock { _ in
            let all = freeLists.values.flatMap { $0 }
            freeLists = [:]
            cachedBytes = 0
            return all
        }
        for block in blocks { free(block) }
    }
}
