import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Tensor-level builders shared by the safetensors tests (the byte builders are in LightningTestSupport).
extension SafetensorsFixture {
    /// A small model-like state: float matrices, a scalar, an empty tensor and an int64 counter.
    static func sampleTensors() -> [String: Tensor] {
        [
            "fc1.weight": Tensor(shape: [3, 2], scalars: [1, -2, 3.5, 0, -0.25, 1e-8]),
            "fc1.bias": Tensor([0.5, -0.5, 7]),
            "scale": Tensor(Float(2.5)),
            "empty": Tensor(shape: [0, 4], scalars: []),
            "bn.num_batches_tracked": Tensor(shape: [], int64Scalars: [42]),
            "labels": Tensor(int64: [Int64.min, -1, 0, Int64.max]),
        ]
    }

    /// Asserts that two tensors have the same dtype, shape and elements (bitwise for floats).
    static func assertEqual(_ a: Tensor?, _ b: Tensor?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        guard let a, let b else { return XCTFail("missing tensor \(message)", file: file, line: line) }
        XCTAssertEqual(a.dtype, b.dtype, message, file: file, line: line)
        XCTAssertEqual(a.shape, b.shape, message, file: file, line: line)
        switch a.dtype {
        case .float32: XCTAssertEqual(a.scalars.map(\.bitPattern), b.scalars.map(\.bitPattern), message, file: file, line: line)
        case .int64: XCTAssertEqual(a.int64Scalars, b.int64Scalars, message, file: file, line: line)
        }
    }
}

/// Asserts that `body` throws a ``SafetensorsError`` whose problem satisfies `matches`; returns it.
@discardableResult
func assertSafetensorsError(_ body: @autoclosure () throws -> Any, tensor: String? = nil,
                            file: StaticString = #filePath, line: UInt = #line,
                            _ matches: (SafetensorsError.Problem) -> Bool) -> SafetensorsError? {
    do {
        _ = try body()
        XCTFail("expected a SafetensorsError, got success", file: file, line: line)
    } catch let error as SafetensorsError {
        XCTAssertTrue(matches(error.problem), "unexpected problem: \(error)", file: file, line: line)
        if let tensor { XCTAssertEqual(error.tensor, tensor, "\(error)", file: file, line: line) }
        return error
    } catch {
        XCTFail("expected a SafetensorsError, got \(error)", file: file, line: line)
    }
    return nil
}
