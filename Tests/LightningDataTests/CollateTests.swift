import XCTest
@testable import LightningData

final class CollateTests: XCTestCase {
    func testTensorsStackAlongANewFirstDimension() {
        let batch = Tensor.collate([Tensor([Float(1), 2]), Tensor([Float(3), 4]), Tensor([Float(5), 6])])
        XCTAssertEqual(batch.shape, [3, 2])
        XCTAssertEqual(batch.scalars, [1, 2, 3, 4, 5, 6])
    }

    func testScalarInt64LabelsStayInt64() {
        let labels = [Int64(3), 1, 4].map { Tensor(shape: [], int64Scalars: [$0]) }
        let batch = Tensor.collate(labels)
        XCTAssertEqual(batch.dtype, .int64)
        XCTAssertEqual(batch.shape, [3])
        XCTAssertEqual(batch.int64Scalars, [3, 1, 4])
    }

    func testPairsAndArraysCollatePositionwise() {
        let samples = (0..<3).map { i in (Tensor([Float(i), Float(i)]), Tensor(shape: [], int64Scalars: [Int64(i)])) }
        let (x, y) = collate(samples)
        XCTAssertEqual(x.shape, [3, 2])
        XCTAssertEqual(y.int64Scalars, [0, 1, 2])
        let arrays: [[Tensor]] = [[Tensor([Float(1)]), Tensor([Float(2)])], [Tensor([Float(3)]), Tensor([Float(4)])]]
        let out = [Tensor].collate(arrays)
        XCTAssertEqual(out.map(\.scalars), [[1, 3], [2, 4]])
        let (a, b, c) = collate([(Tensor([Float(1)]), Tensor([Float(2)]), Tensor([Float(3)]))])
        XCTAssertEqual([a.shape, b.shape, c.shape], [[1, 1], [1, 1], [1, 1]])
    }

    func testCollatedBatchMatchesFastPath() throws {
        let ds = TensorDataset(indexedMatrix(rows: 7, cols: 3), rangeLabels(7))
        let indices = [6, 2, 3]
        let (fx, fy) = try XCTUnwrap(ds.batch(at: indices))
        let (cx, cy) = collate(indices.map { ds[$0] })
        XCTAssertEqual(fx.shape, cx.shape)
        XCTAssertEqual(fx.scalars, cx.scalars)
        XCTAssertEqual(fy.int64Scalars, cy.int64Scalars)
    }
}
