import Synchronization

/// Device memory for tensors, kept for reuse (PyTorch's caching allocator, simplified): a block
/// a tensor no longer needs goes to a free list keyed by its size rounded up to 512 bytes, and the
/// next request of that size takes it back without calling the driver. A training loop asks for
/// the same sizes every step, so after its first step it makes no driver allocation (a
/// `cuMemAlloc` synchronizes the whole device).
///
/// Every kernel runs on the device's one stream, in order, so a block freed by the host is free
/// for every kernel queued after it: no event bookkeeping is needed.
public final class CachingDeviceAllocator: Sendable {
    /// The allocator's counters.
    public struct Statistics: Equatable, Sendable {
        /// Blocks obtained from the driver.
        public var driverAllocations = 0
        /// Blocks returned to the driver (``CachingDeviceAllocator/emptyCache()``, or to retry an
        /// allocation that ran out of memory).
        public var driverFrees = 0
        /// Requests served from a free list.
        public var reuses = 0
        /// Bytes in free lists.
        public var cachedBytes = 0
        /// Bytes handed out and not yet released.
        public var liveBytes = 0
    }

    /// The device ordinal.
    public let device: Int
    private let driver: any CUDADriver
    private let state = Mutex(State())

    private struct State {
        var freeLists: [Int: [DevicePointer]] = [:]
        var statistics = Statistics()
    }

    /// An empty cache for `device` of `driver`.
    public init(device: Int, driver: any CUDADriver) {
        self.device = device
        self.driver = driver
    }

    /// The size a request of `byteCount` bytes is served with (multiples of 512, as PyTorch rounds).
    public static func roundedSize(_ byteCount: Int) -> Int { (Swift.max(byteCount, 1) + 511) & ~511 }

    /// A block of at least `byteCount` bytes; from the cache when one of its size is free. When the
    /// driver is out of memory, the cache is returned to it and the allocation tried once more.
    public func allocate(byteCount: Int) throws -> DevicePointer {
        let size = Self.roundedSize(byteCount)
        let reused: DevicePointer? = state.withLock { state in
            guard let block = state.freeLists[size]?.popLast() else { return nil }
            state.statistics.reuses += 1
            state.statistics.cachedBytes -= size
            state.statistics.liveBytes += size
            return block
        }
        if let reused { return reused }
        let block: DevicePointer
        do {
            block = try driver.allocate(byteCount: size, on: device)
        } catch {
            try emptyCache()
            block = try driver.allocate(byteCount: size, on: device)
        }
        state.withLock { state in
            state.statistics.driverAllocations += 1
            state.statistics.liveBytes += size
        }
        return block
    }

    /// Takes back a block of `byteCount` bytes (the size it was asked for) into the cache.
    public func release(_ block: DevicePointer, byteCount: Int) {
        let size = Self.roundedSize(byteCount)
        state.withLock { state in
            state.freeLists[size, default: []].append(block)
            state.statistics.cachedBytes += size
            state.statistics.liveBytes -= size
        }
    }

    /// Returns every cached block to the driver.
    public func emptyCache() throws {
        let blocks: [DevicePointer] = state.withLock { state in
            let all = state.freeLists.values.flatMap { $0 }
            state.freeLists = [:]
            state.statistics.cachedBytes = 0
            state.statistics.driverFrees += all.count
            return all
        }
        for block in blocks { try driver.free(block, on: device) }
    }

    /// The counters now.
    public var statistics: Statistics { state.withLock { $0.statistics } }
}
