import XCTest
@testable import LightningData

final class TensorDatasetTests: XCTestCase {
    func testPairSamplesAreRowsOfEachTensor() {
        let ds = TensorDataset(indexedMatrix(rows: 5, cols: 3), rangeLabels(5))
        XCTAssertEqual(ds.count, 5)
        let (x, y) = ds[2]
        XCTAssertEqual(x.shape, [3])
        XCTAssertEqual(x.scalars, [200, 201, 202])
        XCTAssertEqual(y.shape, [])
        XCTAssertEqual(y.dtype, .int64)
        XCTAssertEqual(y.int64Scalars, [2])
    }

    func testSamplesAreViewsNotCopies() {
        let x = indexedMatrix(rows: 4, cols: 2)
        let ds = TensorDataset(x)
        XCTAssertTrue(ds[3].storage === x.storage)
        XCTAssertEqual(ds[3].offset, 6)
    }

    func testSingleTripleAndArrayForms() {
        let a = indexedMatrix(rows: 3, cols: 2), b = rangeLabels(3), c = Tensor(shape: [3, 1, 2], scalars: (0..<6).map(Float.init))
        XCTAssertEqual(TensorDataset(a)[1].scalars, [100, 101])
        let (_, y, z) = TensorDataset(a, b, c)[2]
        XCTAssertEqual(y.int64Scalars, [2])
        XCTAssertEqual(z.shape, [1, 2])
        XCTAssertEqual(z.scalars, [4, 5])
        let many = TensorDataset(tensors: [a, b, c, b])
        XCTAssertEqual(many[0].count, 4)
        XCTAssertEqual(many[1][3].int64Scalars, [1])
    }

    func testBatchFastPathGathersRowsInOrder() throws {
        let ds = TensorDataset(indexedMatrix(rows: 6, cols: 2), rangeLabels(6))
        let (x, y) = try XCTUnwrap(ds.batch(at: [4, 0, 4, 5]))
        XCTAssertEqual(x.shape, [4, 2])
        XCTAssertEqual(x.scalars, [400, 401, 0, 1, 400, 401, 500, 501])
        XCTAssertEqual(y.dtype, .int64)
        XCTAssertEqual(y.int64Scalars, [4, 0, 4, 5])
        XCTAssertFalse(x.storage === ds.tensors[0].storage, "a batch is a copy, not a view")
    }

    func testBatchOfHigherRankTensors() throws {
        let images = Tensor(shape: [3, 1, 2, 2], scalars: (0..<12).map(Float.init))
        let batch = try XCTUnwrap(TensorDataset(images).batch(at: [2, 1]))
        XCTAssertEqual(batch.shape, [2, 1, 2, 2])
        XCTAssertEqual(batch.scalars, [8, 9, 10, 11, 4, 5, 6, 7])
    }

    func testSubsetMapsIndicesAndKeepsFastPath() throws {
        let ds = TensorDataset(indexedMatrix(rows: 6, cols: 1), rangeLabels(6))
        let sub = Subset(ds, indices: [5, 3, 1])
        XCTAssertEqual(sub.count, 3)
        XCTAssertEqual(sub[0].1.int64Scalars, [5])
        let (x, y) = try XCTUnwrap(sub.batch(at: [2, 0]))
        XCTAssertEqual(y.int64Scalars, [1, 5])
        XCTAssertEqual(x.scalars, [100, 500])
    }

    func testRandomSplitIsASeededPartition() {
        let ds = TensorDataset(rangeLabels(20))
        let parts = ds.randomSplit(lengths: [12, 5, 3], seed: 7)
        XCTAssertEqual(parts.map(\.count), [12, 5, 3])
        let all = parts.flatMap(\.indices)
        XCTAssertEqual(all.sorted(), Array(0..<20))
        XCTAssertEqual(all, Generator(seed: 7).permutation(20), "the split follows the seeded permutation")
        let again = ds.randomSplit(lengths: [12, 5, 3], seed: 7)
        XCTAssertEqual(again.map(\.indices), parts.map(\.indices))
        let other = ds.randomSplit(lengths: [12, 5, 3], seed: 8)
        XCTAssertNotEqual(other.map(\.indices), parts.map(\.indices))
    }

    func testRandomSplitFractionsRoundLikePyTorch() {
        // torch.utils.data.random_split(range(11), [0.5, 0.5]) -> lengths [6, 5]
        XCTAssertEqual(TensorDataset<Tensor>.splitLengths(count: 11, fractions: [0.5, 0.5]), [6, 5])
        // range(10), [0.33, 0.33, 0.34] -> floors [3, 3, 3], remainder 1 to the first
        XCTAssertEqual(TensorDataset<Tensor>.splitLengths(count: 10, fractions: [0.33, 0.33, 0.34]), [4, 3, 3])
        let parts = TensorDataset(rangeLabels(1797)).randomSplit(fractions: [0.8, 0.1, 0.1], seed: 0)
        XCTAssertEqual(parts.map(\.count), [1438, 180, 179])
    }

    func testDatasetSplitsRoundsHeldOutSizes() {
        let splits = DatasetSplits(TensorDataset(rangeLabels(1797)), valFraction: 0.1, testFraction: 0.1, seed: 1)
        XCTAssertEqual([splits.train.count, splits.val.count, splits.test.count], [1437, 180, 180])
        XCTAssertEqual(Set(splits.train.indices + splits.val.indices + splits.test.indices).count, 1797)
    }
}
