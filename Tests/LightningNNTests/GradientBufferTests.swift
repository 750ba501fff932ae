import XCTest
@testable import LightningNN

final class GradientBufferTests: XCTestCase {
    func testEveryGradientIsAViewIntoOneBuffer() throws {
        let model = FixtureModel()
        XCTAssertNil(model.gradientBuffer)
        let buffer = model.flattenGradients()
        XCTAssertEqual(buffer.shape, [3 + 3 + 2 + 2])
        XCTAssertEqual(buffer.dtype, .float32)
        XCTAssertTrue(model.gradientBuffer?.sharesElements(with: buffer) ?? false)
        let layout = try XCTUnwrap(model.gradientLayout)
        XCTAssertEqual(layout.entries.map(\.offset), [0, 3, 6, 8])
        XCTAssertEqual(layout.entries.map(\.count), [3, 3, 2, 2])
        for (entry, p) in zip(layout.entries, model.parameters()) {
            XCTAssertTrue(entry.parameter === p)
            let slot = try XCTUnwrap(p.gradientSlot)
            XCTAssertTrue(slot.storage === buffer.storage)
            XCTAssertEqual(slot.offset, entry.offset)
            XCTAssertEqual(slot.shape, p.shape)
            XCTAssertNil(p.grad, "slots start empty")
        }
    }

    func testBackwardWritesIntoTheBuffer() throws {
        let model = Affine(3)  // weight [1, 2, 3], bias [0, 0, 0]
        let buffer = model.flattenGradients()
        let w = model.weight.value, b = model.bias!.value
        ((w * w).sum() + (b * 2).sum()).backward()
        XCTAssertEqual(buffer.scalars, [2, 4, 6, 2, 2, 2])
        XCTAssertTrue(try XCTUnwrap(model.weight.grad).storage === buffer.storage)
        // A second backward accumulates in place, as PyTorch does.
        (model.weight.value * 3).sum().backward()
        XCTAssertEqual(buffer.scalars, [5, 7, 9, 2, 2, 2])
        // Writing the buffer (as an allreduce does) is what the gradients read.
        buffer.withUnsafeMutableBufferPointer { for i in 0..<$0.count { $0[i] *= 0.5 } }
        XCTAssertEqual(model.weight.grad?.scalars, [2.5, 3.5, 4.5])
    }

    func testAssigningGradDirectlyLandsInTheSlot() {
        let model = FixtureModel()
        let buffer = model.flattenGradients()
        model.head.parameters()[0].grad = Tensor([7, 8] as [Float])
        XCTAssertEqual(Array(buffer.scalars.suffix(2)), [7, 8])
    }

    func testExistingGradientsMoveIntoTheBuffer() {
        let model = Affine(2)
        model.bias!.grad = Tensor([1, -1] as [Float])
        let buffer = model.flattenGradients()
        XCTAssertEqual(Array(buffer.scalars.suffix(2)), [1, -1])
        XCTAssertEqual(model.bias!.grad?.scalars, [1, -1])
        XCTAssertNil(model.weight.grad)
    }

    func testGivenStorageReceivesTheBufferAndItsGradients() throws {
        let model = Affine(2)
        model.flattenGradients()
        (model.weight.value * 3).sum().backward()
        // Memory from elsewhere (data parallelism's node-shared segment): gradients move into it.
        let storage = TensorStorage(zeroedByteCount: 16 * 4)
        let buffer = model.flattenGradients(storage: storage)
        XCTAssertTrue(buffer.storage === storage)
        XCTAssertTrue(try XCTUnwrap(model.weight.grad).storage === storage)
        XCTAssertEqual(model.weight.grad?.scalars, [3, 3])
        (model.weight.value * 2).sum().backward()
        XCTAssertEqual(Array(buffer.scalars.prefix(2)), [5, 5])
        // Asking again for the same storage (or none) keeps it; one too small is not used.
        XCTAssertTrue(model.flattenGradients().storage === storage)
        XCTAssertTrue(model.flattenGradients(storage: TensorStorage(byteCount: 4)).storage === storage)
    }

    func testZeroGradClearsOrZeroesInPlace() throws {
        let model = Affine(2)
        let buffer = model.flattenGradients()
        (model.weight.value * 5).sum().backward()
        model.zeroGrad(setToNone: false)
        XCTAssertEqual(model.weight.grad?.scalars, [0, 0])
        XCTAssertEqual(buffer.scalars, [0, 0, 0, 0])
        (model.weight.value * 5).sum().backward()
        model.zeroGrad()
        XCTAssertNil(model.weight.grad)
        // The next backward overwrites the slot instead of adding to stale values.
        (model.weight.value * 1).sum().backward()
        XCTAssertEqual(model.weight.grad?.scalars, [1, 1])
    }

    func testFillMissingGradientsWithZerosBeforeAReduce() {
        let model = Affine(2)
        let buffer = model.flattenGradients()
        buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 99) }  // stale contents
        (model.weight.value * 2).sum().backward()
        model.fillMissingGradientsWithZeros()
        XCTAssertEqual(buffer.scalars, [2, 2, 0, 0])
        XCTAssertEqual(model.bias!.grad?.scalars, [0, 0])
        let unflattened = Affine(1)
        unflattened.fillMissingGradientsWithZeros()
        XCTAssertEqual(unflattened.weight.grad?.scalars, [0])
    }

    func testFlatteningAgainIsStableAndRepacksAfterReplacement() {
        let model = Affine(2)
        let first = model.flattenGradients()
        XCTAssertTrue(model.flattenGradients().sharesElements(with: first), "unchanged parameters: same buffer")
        model.weight.replace(with: Tensor([5, 6] as [Float]))
        XCTAssertTrue(model.flattenGradients().sharesElements(with: first), "a replaced tensor keeps its slot")
        (model.weight.value * 1).sum().backward()
        XCTAssertEqual(first.scalars.prefix(2), [1, 1])
    }

    func testTiedParametersGetOneSlot() {
        let model = Tied()
        XCTAssertEqual(model.flattenGradients().count, 4)
    }

    func testLoadStateDictKeepsGradientSlots() throws {
        let model = Affine(2)
        let buffer = model.flattenGradients()
        try model.loadStateDict(["weight": Tensor([3, 3] as [Float]), "bias": Tensor([1, 1] as [Float])])
        (model.weight.value * 1).sum().backward()
        XCTAssertEqual(Array(buffer.scalars.prefix(2)), [1, 1])
    }
}
