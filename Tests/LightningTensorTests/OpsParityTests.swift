import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Every case of PyTorch's `ops.json`: forward output and the gradient of every float input.
final class OpsParityTests: XCTestCase {
    func testEveryReferenceCase() throws {
        let cases = try OpCase.loadAll()
        XCTAssertEqual(cases.count, 77)
        for c in cases {
            let inputs = c.inputs.map { $0.dtype == .float32 ? $0.requiringGrad() : $0 }
            guard let output = c.apply(inputs) else { XCTFail("\(c.name): no mapping for op \(c.op)"); continue }
            assertClose(output, c.output, rtol: 1e-4, atol: 1e-5, "\(c.name) output")
            output.backward(c.cotangent)
            for (i, expected) in c.grads.enumerated() {
                guard let expected else { continue }
                guard let grad = inputs[i].grad else { XCTFail("\(c.name): input \(i) got no gradient"); continue }
                assertClose(grad, expected, rtol: 1e-4, atol: 1e-5, "\(c.name) gradient of input \(i)")
            }
        }
    }
}
