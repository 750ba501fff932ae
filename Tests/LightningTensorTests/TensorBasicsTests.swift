import XCTest
@testable import LightningTensor

final class TensorBasicsTests: XCTestCase {
    func testCreation() {
        XCTAssertEqual(Tensor.zeros([2, 3]).scalars, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(Tensor.ones([2]).scalars, [1, 1])
        XCTAssertEqual(Tensor.full([2], 7).scalars, [7, 7])
        XCTAssertEqual(Tensor.arange(0, 5, step: 2).scalars, [0, 2, 4])
        XCTAssertEqual(Tensor.arange(3).int64Scalars, [0, 1, 2])
        XCTAssertEqual(Tensor.eye(2).scalars, [1, 0, 0, 1])
        XCTAssertEqual(Tensor.eye(2, 3).shape, [2, 3])
        XCTAssertEqual(Tensor(labels: [1, 2]).dtype, .int64)
        XCTAssertEqual(Tensor(3.5).item(), 3.5)
        XCTAssertEqual(Tensor([[1, 2], [3, 4]]).shape, [2, 2])
        XCTAssertEqual(Tensor.zeros([0, 3]).count, 0)
    }

    func testDTypeConversion() {
        let t = Tensor([1.7, -2.2, 3])
        XCTAssertEqual(t.converted(to: .int64).int64Scalars, [1, -2, 3])
        XCTAssertEqual(Tensor(shape: [2], int64Scalars: [4, 5]).converted(to: .float32).scalars, [4, 5])
        XCTAssertEqual(Tensor(shape: [], int64Scalars: [9]).int64Item(), 9)
    }

    func testDescription() {
        XCTAssertEqual(Tensor([1, 2.5]).description, "tensor([1.0000, 2.5000])")
        XCTAssertEqual(Tensor([[1, 2], [3, 4]]).description, "tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape: [2, 2])")
        XCTAssertEqual(Tensor(labels: [3]).description, "tensor([3], dtype: int64)")
        XCTAssertTrue((Tensor([1]).requiringGrad() * 2).description.contains("gradFn: mul"))
        XCTAssertTrue(Tensor.zeros([2000]).description.contains("..."))
    }

    func testViewsShareStorage() {
        let t = Tensor.arange(0, 12).reshaped(to: [3, 4])
        XCTAssertTrue(t.reshaped(to: [12]).storage === t.storage)
        let rows = t[rows: 1..<3]
        XCTAssertTrue(rows.storage === t.storage)
        XCTAssertEqual(rows.scalars, [4, 5, 6, 7, 8, 9, 10, 11])
        XCTAssertEqual(t.reshaped(to: [-1, 6]).shape, [2, 6])
    }

    func testShapeOps() {
        let t = Tensor.arange(0, 6).reshaped(to: [2, 3])
        XCTAssertEqual(t.transposed().scalars, [0, 3, 1, 4, 2, 5])
        XCTAssertEqual(t.unsqueezed(dim: 0).shape, [1, 2, 3])
        XCTAssertEqual(t.unsqueezed(dim: -1).shape, [2, 3, 1])
        XCTAssertEqual(t.unsqueezed(dim: 1).squeezed().shape, [2, 3])
        XCTAssertEqual(t.sliced(dim: 1, start: 0, end: 3, step: 2).scalars, [0, 2, 3, 5])
        XCTAssertEqual(t.sliced(dim: -1, start: -2).scalars, [1, 2, 4, 5])
        XCTAssertEqual(Tensor.cat([t, t], dim: 0).shape, [4, 3])
        XCTAssertEqual(Tensor.stack([t, t], dim: 2).shape, [2, 3, 2])
        XCTAssertEqual(t.indexSelect(dim: 1, indices: Tensor(labels: [2, 0])).scalars, [2, 0, 5, 3])
        XCTAssertEqual(Tensor([1, 2]).expanded(to: [2, 2]).scalars, [1, 2, 1, 2])
    }

    func testReductionsAndMetrics() {
        let t = Tensor([[1, 5, 3], [4, 2, 6]])
        XCTAssertEqual(t.sum().item(), 21)
        XCTAssertEqual(t.sum(dims: [0, 1]).item(), 21)
        XCTAssertEqual(t.mean(dim: 0).scalars, [2.5, 3.5, 4.5])
        XCTAssertEqual(t.max().item(), 6)
        XCTAssertEqual(t.min().item(), 1)
        XCTAssertEqual(t.min(dim: 1).scalars, [1, 2])
        XCTAssertEqual(t.argmax(dim: 1).int64Scalars, [1, 2])
        XCTAssertEqual(t.argmin(dim: 0).int64Scalars, [0, 1, 0])
        XCTAssertEqual(t.variance(dim: 1).scalars, [4, 4])
        XCTAssertEqual(t.greater(Tensor(3)).scalars, [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(Tensor(labels: [1, 2]).equal(Tensor(labels: [1, 3])).scalars, [1, 0])
        XCTAssertEqual(Tensor.select(Tensor([1, 0]), Tensor([1, 2]), Tensor([3, 4])).scalars, [1, 4])
        XCTAssertEqual(accuracy(logits: t, targets: Tensor(labels: [1, 0])).item(), 0.5)
    }

    func testStableSoftmaxWithLargeLogits() {
        let t = Tensor([[1000, 1001], [-1000, -1000]])
        let p = t.softmax(dim: 1).scalars
        XCTAssertEqual(p[0], 0.26894142, accuracy: 1e-6)
        XCTAssertEqual(p[2], 0.5, accuracy: 1e-6)
        let loss = crossEntropy(logits: t, targets: Tensor(labels: [0, 1]))
        XCTAssertTrue(loss.item().isFinite)
    }

    func testMaxPoolPropagatesNaN() {
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [1, .nan, 3, 2])
        XCTAssertTrue(maxPool2d(x, kernelSize: 2).item().isNaN)
    }
}
