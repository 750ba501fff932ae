import LightningCUDA
import XCTest

/// The by-value kernel structs have C's layout: sizes and field offsets as the sources declare them.
final class KernelGeometryTests: XCTestCase {
    private func bytes(_ argument: KernelArgument) -> [UInt8] {
        guard case .bytes(let b) = argument else { XCTFail("not bytes"); return [] }
        return b
    }

    private func int64(_ b: [UInt8], at offset: Int) -> Int64 { b[offset..<offset + 8].withUnsafeBytes { $0.loadUnaligned(as: Int64.self) } }
    private func int32(_ b: [UInt8], at offset: Int) -> Int32 { b[offset..<offset + 4].withUnsafeBytes { $0.loadUnaligned(as: Int32.self) } }

    func testBroadcastLayout() {
        let b = bytes(KernelGeometry.broadcast(size: [2, 3], strideA: [3, 1], strideB: [0, 1]))
        // 3 arrays of 8 int64, one int32, padded to 8: 8·24 + 8.
        XCTAssertEqual(b.count, 8 * 24 + 8)
        XCTAssertEqual([int64(b, at: 0), int64(b, at: 8), int64(b, at: 64), int64(b, at: 128), int64(b, at: 136)], [2, 3, 3, 0, 1])
        XCTAssertEqual(int32(b, at: 192), 2)
    }

    func testReductionLayout() {
        let b = bytes(KernelGeometry.reduction(keptSize: [4], keptStride: [1], reducedSize: [5, 6], reducedStride: [24, 4]))
        XCTAssertEqual(b.count, 8 * 32 + 8)
        XCTAssertEqual([int64(b, at: 0), int64(b, at: 64), int64(b, at: 128), int64(b, at: 136), int64(b, at: 192), int64(b, at: 200)], [4, 1, 5, 6, 24, 4])
        XCTAssertEqual([int32(b, at: 256), int32(b, at: 260)], [1, 2])
    }

    func testWindowLayout() {
        let b = bytes(KernelGeometry.window(batch: 2, channels: 3, height: 8, width: 9, outH: 4, outW: 5,
                                            kernel: (3, 2), stride: (2, 1), padding: (1, 0), dilation: (1, 2)))
        XCTAssertEqual(b.count, 6 * 8 + 8 * 4)
        XCTAssertEqual((0..<6).map { int64(b, at: 8 * $0) }, [2, 3, 8, 9, 4, 5])
        XCTAssertEqual((0..<8).map { int32(b, at: 48 + 4 * $0) }, [3, 2, 2, 1, 1, 0, 1, 2])
    }

    func testArgumentsLieEightBytesApart() {
        let (offsets, size) = KernelArgument.layout([.int32(1), .pointer(DevicePointer(address: 8)), .bytes([UInt8](repeating: 0, count: 12)), .float(2)])
        XCTAssertEqual(offsets, [0, 8, 16, 32])
        XCTAssertEqual(size, 40)
    }
}
