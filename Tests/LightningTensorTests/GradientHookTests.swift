import XCTest
@testable import LightningTensor

/// `registerPostAccumulateGradHook`: what data parallelism's overlapped reduction relies on.
final class GradientHookTests: XCTestCase {
    func testHookRunsOnceWhenTheGradientIsComplete() {
        let x = Tensor([2]).requiringGrad()
        var seen: [[Float]] = []
        x.registerPostAccumulateGradHook { seen.append(x.grad?.scalars ?? []) }
        // x is used three times: the hook runs after the last accumulation, once.
        (x * x * x + x).sum().backward()
        XCTAssertEqual(seen, [[13]])
        (x * 2).sum().backward()
        XCTAssertEqual(seen, [[13], [15]], "once per backward pass, after accumulating onto the earlier gradient")
    }

    func testLeavesRunInReverseOrderOfUseAndUnreachedLeavesNot() {
        let w1 = Tensor([[1, 2], [3, 4]]).requiringGrad()
        let w2 = Tensor([[1], [-1]]).requiringGrad()
        let unused = Tensor([5]).requiringGrad()
        var order: [String] = []
        w1.registerPostAccumulateGradHook { order.append("w1") }
        w2.registerPostAccumulateGradHook { order.append("w2") }
        unused.registerPostAccumulateGradHook { order.append("unused") }
        Tensor([[1, 1]]).matmul(w1).relu().matmul(w2).sum().backward()
        XCTAssertEqual(order, ["w2", "w1"], "the layer nearest the loss completes first")
    }

    func testRemovedHookNoLongerRuns() {
        let x = Tensor([1, 2]).requiringGrad()
        var runs = 0
        let handle = x.registerPostAccumulateGradHook { runs += 1 }
        x.registerPostAccumulateGradHook { runs += 10 }
        (x * x).sum().backward()
        handle.remove()
        handle.remove()
        (x * x).sum().backward()
        XCTAssertEqual(runs, 11 + 10)
    }

    func testHookRunsWithGradientSlotsAndWithoutGradMode() {
        let x = Tensor([3]).requiringGrad()
        let slot = Tensor([0])
        x.assignGradientSlot(slot)
        var recorded: [Bool] = []
        x.registerPostAccumulateGradHook { recorded.append(GradMode.isEnabled) }
        (x * 4).sum().backward()
        XCTAssertEqual(slot.scalars, [4])
        XCTAssertEqual(recorded, [false])
    }
}
