import Testing
@testable import LightningTensor

/// Element types: sizes and names (Swift Testing, beside the XCTest suites).
@Suite struct DTypeTests {
    @Test(arguments: [(DType.float32, 4), (DType.int64, 8)])
    func byteSizes(dtype: DType, size: Int) {
        #expect(dtype.byteSize == size)
        #expect(Tensor.zeros([3], dtype: dtype).storage.byteCount == 3 * size)
    }

    @Test func namesPrintLikePyTorch() {
        #expect(DType.float32.description == "float32")
        #expect(DType.int64.description == "int64")
    }
}
