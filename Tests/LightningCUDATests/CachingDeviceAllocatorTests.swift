import LightningCUDA
import LightningTestSupport
import XCTest

/// The caching allocator's bookkeeping over the fake driver: after a warm-up step, a step asks the
/// driver for nothing.
final class CachingDeviceAllocatorTests: XCTestCase {
    /// One "training step": the sizes a model's forward and backward allocate, held together,
    /// then all released (the tensors of one step go out of scope).
    private func step(_ allocator: CachingDeviceAllocator, sizes: [Int]) throws {
        let blocks = try sizes.map { try allocator.allocate(byteCount: $0) }
        for (block, size) in zip(blocks, sizes) { allocator.release(block, byteCount: size) }
    }

    func testNoDriverAllocationAfterTheFirstStep() throws {
        let driver = FakeCUDADriver(deviceCount: 1)
        let allocator = CachingDeviceAllocator(device: 0, driver: driver)
        // The sizes of a small MLP's step: activations, weights' gradients, a scalar loss; two of the same size live at once.
        let sizes = [64 * 784 * 4, 64 * 128 * 4, 64 * 128 * 4, 128 * 784 * 4, 128 * 4, 10 * 128 * 4, 4]
        try step(allocator, sizes: sizes)
        let warm = allocator.statistics
        XCTAssertEqual(warm.driverAllocations, sizes.count)
        for _ in 0..<5 { try step(allocator, sizes: sizes) }
        XCTAssertEqual(allocator.statistics.driverAllocations, warm.driverAllocations, "no driver allocation per step after warm-up")
        XCTAssertEqual(driver.allocations, sizes.count)
        XCTAssertEqual(allocator.statistics.reuses, 5 * sizes.count)
        XCTAssertEqual(allocator.statistics.liveBytes, 0)
        XCTAssertEqual(allocator.statistics.cachedBytes, sizes.map(CachingDeviceAllocator.roundedSize).reduce(0, +))
    }

    func testSizesRoundUpTo512BytesAndShareBlocks() throws {
        XCTAssertEqual(CachingDeviceAllocator.roundedSize(1), 512)
        XCTAssertEqual(CachingDeviceAllocator.roundedSize(512), 512)
        XCTAssertEqual(CachingDeviceAllocator.roundedSize(513), 1024)
        let driver = FakeCUDADriver(deviceCount: 1)
        let allocator = CachingDeviceAllocator(device: 0, driver: driver)
        let block = try allocator.allocate(byteCount: 100)
        allocator.release(block, byteCount: 100)
        XCTAssertEqual(try allocator.allocate(byteCount: 400), block, "a 400-byte request reuses the 512-byte block")
        XCTAssertEqual(driver.allocations, 1)
    }

    func testEmptyCacheReturnsBlocksAndAFullDeviceRetriesAfterIt() throws {
        let driver = FakeCUDADriver(deviceCount: 1, memoryLimit: 4096)
        let allocator = CachingDeviceAllocator(device: 0, driver: driver)
        let a = try allocator.allocate(byteCount: 2048), b = try allocator.allocate(byteCount: 2048)
        allocator.release(a, byteCount: 2048)
        allocator.release(b, byteCount: 2048)
        // 4096 bytes are cached in 2048-byte blocks: a 4096-byte request fits only once they go back.
        _ = try allocator.allocate(byteCount: 4096)
        XCTAssertEqual(driver.frees, 2)
        XCTAssertEqual(allocator.statistics.cachedBytes, 0)
        XCTAssertThrowsError(try allocator.allocate(byteCount: 512)) { error in
            XCTAssertTrue("\(error)".contains("CUDA_ERROR_OUT_OF_MEMORY"), "\(error)")
        }
    }
}
