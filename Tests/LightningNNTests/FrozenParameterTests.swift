import LightningNN
import XCTest

/// Freezing a parameter (fine-tuning) stops its gradient; unfreezing brings it back.
final class FrozenParameterTests: XCTestCase {
    func testFrozenParameterGetsNoGradient() {
        let model = Sequential(Linear(3, 4), ReLU(), Linear(4, 2))
        _ = model.flattenGradients()
        let first = model.parameters()[0]
        first.requiresGrad = false
        let x = Tensor.randn([5, 3])
        model(x).sum().backward()
        XCTAssertNil(first.grad)
        XCTAssertFalse(first.requiresGrad)
        XCTAssertNotNil(model.parameters()[2].grad)
        first.requiresGrad = true
        model.zeroGrad()
        model(x).sum().backward()
        XCTAssertNotNil(first.grad)
    }

    func testReplaceKeepsTheFrozenFlag() {
        let p = Parameter(Tensor.zeros([2]))
        p.requiresGrad = false
        p.replace(with: Tensor.ones([2]))
        XCTAssertFalse(p.requiresGrad)
        XCTAssertEqual(p.value.scalars, [1, 1])
    }
}
