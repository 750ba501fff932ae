import XCTest
@testable import LightningNN

final class ModuleModeTests: XCTestCase {
    func testModulesStartInTrainingMode() {
        XCTAssertTrue(Composite().modules().allSatisfy(\.isTraining))
    }

    func testEvalAndTrainReachEveryDescendant() {
        let model = Composite()
        _ = model.lazyHead
        model.eval()
        XCTAssertTrue(model.modules().allSatisfy { !$0.isTraining })
        XCTAssertFalse(model.net[1].isTraining, "inside Sequential")
        XCTAssertFalse(model.heads["a"]!.isTraining, "inside a dictionary")
        XCTAssertFalse(model.lazyHead.isTraining)
        model.train()
        XCTAssertTrue(model.modules().allSatisfy(\.isTraining))
        model.train(false)
        XCTAssertTrue(model.modules().allSatisfy { !$0.isTraining })
    }

    func testModeOfASubtreeLeavesTheRestAlone() {
        let model = Composite()
        model.net.eval()
        XCTAssertTrue(model.isTraining)
        XCTAssertTrue(model.encoder.isTraining)
        XCTAssertFalse(model.net.isTraining)
        XCTAssertFalse(model.net[0].isTraining)
    }

    func testApplyVisitsChildrenBeforeParents() {
        let seq = Sequential(Affine(1), Sequential(Affine(1)))
        var visited: [String] = []
        seq.apply { visited.append(String(describing: type(of: $0))) }
        XCTAssertEqual(visited, ["Affine", "Sequential", "Affine", "Sequential"])
    }

    func testTrainReturnsTheModuleForChaining() {
        let model = Affine(1)
        XCTAssertTrue(model.eval() === model)
        XCTAssertTrue(model.train() === model)
    }
}
