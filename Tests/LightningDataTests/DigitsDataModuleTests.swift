import XCTest
@testable import LightningData

final class DigitsDataModuleTests: XCTestCase {
    func testBundledDatasetShapesAndRanges() throws {
        let ds = try DigitsDataModule.loadDataset()
        XCTAssertEqual(ds.count, DigitsDataModule.sampleCount)
        let images = ds.tensors[0], labels = ds.tensors[1]
        XCTAssertEqual(images.shape, [1797, 64])
        XCTAssertEqual(images.dtype, .float32)
        let pixels = images.scalars
        XCTAssertEqual(pixels.min(), 0)
        XCTAssertEqual(pixels.max(), 1, "raw values reach 16, which scales to exactly 1")
        XCTAssertTrue(pixels.allSatisfy { ($0 * 16).rounded() == $0 * 16 }, "pixels are k/16")
        XCTAssertEqual(labels.dtype, .int64)
        XCTAssertEqual(labels.shape, [1797])
        XCTAssertEqual(Set(labels.int64Scalars), Set(0..<10))
        // The first row of the UCI file is a zero.
        XCTAssertEqual(labels.int64Scalars[0], 0)
        XCTAssertEqual(images.scalars[2], 5 / 16)
    }

    func testSplitSizesAreDisjointAndSeeded() throws {
        let dm = DigitsDataModule(batchSize: 64, valFraction: 0.1, testFraction: 0.1, seed: 42)
        try dm.setup(stage: .fit)
        let s = try XCTUnwrap(dm.splits)
        XCTAssertEqual([s.train.count, s.val.count, s.test.count], [1437, 180, 180])
        let all = s.train.indices + s.val.indices + s.test.indices
        XCTAssertEqual(Set(all).count, 1797)
        let same = DigitsDataModule(seed: 42)
        try same.setup(stage: .test)
        XCTAssertEqual(same.splits?.val.indices, s.val.indices)
        let other = DigitsDataModule(seed: 7)
        try other.setup(stage: .fit)
        XCTAssertNotEqual(other.splits?.val.indices, s.val.indices)
    }

    func testLoadersYieldFlatBatches() throws {
        let dm = DigitsDataModule(batchSize: 64)
        let train = try XCTUnwrap(dm.trainDataLoader())
        XCTAssertEqual(train.count, 23)  // ceil(1437 / 64)
        XCTAssertTrue(train.shuffle)
        let batches = Array(train)
        XCTAssertEqual(batches.count, 23)
        XCTAssertEqual(batches[0].0.shape, [64, 64])
        XCTAssertEqual(batches[0].1.shape, [64])
        XCTAssertEqual(batches[0].1.dtype, .int64)
        XCTAssertEqual(batches.last?.0.shape, [1437 - 22 * 64, 64])
        XCTAssertEqual(batches.map { $0.1.count }.reduce(0, +), 1437)
        let val = try XCTUnwrap(dm.valDataLoader())
        XCTAssertFalse(val.shuffle)
        XCTAssertEqual(val.count, 3)
        XCTAssertEqual(try dm.testDataLoader()?.count, 3)
        XCTAssertEqual(try dm.predictDataLoader()?.count, 3)
    }

    func testImageLayoutWhenNotFlat() throws {
        let dm = DigitsDataModule(batchSize: 8, flat: false)
        let (x, y) = try XCTUnwrap(try dm.valDataLoader().flatMap { Array($0).first })
        XCTAssertEqual(x.shape, [8, 1, 8, 8])
        XCTAssertEqual(y.shape, [8])
        let flat = try DigitsDataModule.loadDataset(flat: true), square = try DigitsDataModule.loadDataset(flat: false)
        XCTAssertEqual(square[5].0.scalars, flat[5].0.scalars)
    }

    func testNoValidationWhenFractionIsZero() throws {
        let dm = DigitsDataModule(valFraction: 0, testFraction: 0)
        XCTAssertNil(try dm.valDataLoader())
        XCTAssertNil(try dm.testDataLoader())
        XCTAssertEqual(try dm.trainDataLoader()?.count, 29)
    }

    func testTeardownDropsTheData() throws {
        let dm = DigitsDataModule()
        try dm.setup(stage: .fit)
        try dm.teardown(stage: .fit)
        XCTAssertNil(dm.splits)
    }
}
