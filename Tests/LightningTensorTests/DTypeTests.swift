import XCTest
@testable import LightningTensor

/// Element types: sizes and names.
final class DTypeTests: XCTestCase {
    func testByteSizes() {
        for (dtype, size) in [(DType.float32, 4), (DType.int64, 8)] {
            XCTAssertEqual(dtype.byteSize, size, "\(dtype)")
            XCTAssertEqual(Tensor.zeros([3], dtype: dtype).storage.byteCount, 3 * size, "\(dtype)")
        }
    }

    func testNamesPrintLikePyTorch() {
        XCTAssertEqual(DType.float32.description, "float32")
        XCTAssertEqual(DType.int64.description, "int64")
    }
}
