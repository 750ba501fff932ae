import LightningTestSupport
import XCTest
@testable import LightningData

/// Records the calls a trainer would make.
private final class RecordingDataModule: DataModule {
    var calls: [String] = []
    func prepareData() throws { calls.append("prepareData") }
    func setup(stage: Stage) throws { calls.append("setup(\(stage))") }
    func trainDataLoader() throws -> DataLoader<(Tensor, Tensor)>? {
        DataLoader(TensorDataset(indexedMatrix(rows: 4, cols: 1), rangeLabels(4)), batchSize: 2)
    }
}

final class DataModuleTests: XCTestCase {
    func testDefaultsAreNoOpsAndAbsentLoaders() throws {
        let dm = RecordingDataModule()
        try dm.prepareData()
        try dm.setup(stage: .fit)
        try dm.teardown(stage: .fit)
        XCTAssertEqual(dm.calls, ["prepareData", "setup(fit)"])
        XCTAssertEqual(try dm.trainDataLoader()?.count, 2)
        XCTAssertNil(try dm.valDataLoader())
        XCTAssertNil(try dm.testDataLoader())
        XCTAssertNil(try dm.predictDataLoader())
    }

    func testTensorDataModuleOverACSVFile() throws {
        let dir = makeTemporaryDirectory()
        let rows = (0..<40).map { "\($0),\($0 * 2),\($0 % 3)" }.joined(separator: "\n")
        let path = dir.write("train.csv", text: "a,b,label\n" + rows)
        var loads = 0
        let dm = TensorDataModule(batchSize: 8, valFraction: 0.25, testFraction: 0, seed: 2) {
            loads += 1
            return try CSV.read(path: path, labelColumn: .name("label")).labeledDataset()
        }
        try dm.prepareData()
        try dm.setup(stage: .fit)
        try dm.setup(stage: .validate)
        XCTAssertEqual(loads, 1, "setup loads once")
        XCTAssertEqual(try dm.trainDataLoader()?.count, 4)
        XCTAssertEqual(try dm.valDataLoader()?.count, 2)
        XCTAssertNil(try dm.testDataLoader())
        let val = try XCTUnwrap(dm.valDataLoader())
        let seen = Array(val).flatMap { $0.0.scalars.enumerated().filter { $0.offset % 2 == 0 }.map { Int($0.element) } }
        XCTAssertEqual(seen, dm.splits?.val.indices, "evaluation batches keep the split's order")
    }

    func testTensorDataModuleSurfacesLoadErrors() {
        let dm = TensorDataModule { try CSV.read(path: "/nonexistent/data.csv").labeledDataset() }
        assertDataError(try dm.setup(stage: .fit), kind: .unreadable, mentions: ["/nonexistent/data.csv"])
        assertDataError(try dm.trainDataLoader(), kind: .unreadable)
    }

    func testStages() {
        XCTAssertEqual(Stage.allCases.map(\.description), ["fit", "validate", "test", "predict"])
    }

    func testSyntheticClassificationIsDeterministicAndSplit() throws {
        let dm = SyntheticDataModule(task: .classification(classes: 4), samples: 200, features: 6, batchSize: 16, valFraction: 0.2, testFraction: 0.1, seed: 5)
        try dm.setup(stage: .fit)
        let splits = try XCTUnwrap(dm.splits)
        XCTAssertEqual([splits.train.count, splits.val.count, splits.test.count], [140, 40, 20])
        let train = try XCTUnwrap(dm.trainDataLoader())
        XCTAssertEqual(train.count, 9)
        let (x, y) = try XCTUnwrap(Array(train).first)
        XCTAssertEqual(x.shape, [16, 6])
        XCTAssertEqual(y.dtype, .int64)
        XCTAssertTrue(y.int64Scalars.allSatisfy { (0..<4).contains($0) })

        let a = SyntheticDataModule.makeDataset(task: .classification(classes: 4), samples: 50, features: 3, noise: 0.5, seed: 9)
        let b = SyntheticDataModule.makeDataset(task: .classification(classes: 4), samples: 50, features: 3, noise: 0.5, seed: 9)
        let c = SyntheticDataModule.makeDataset(task: .classification(classes: 4), samples: 50, features: 3, noise: 0.5, seed: 10)
        XCTAssertEqual(a.tensors[0].scalars, b.tensors[0].scalars)
        XCTAssertEqual(a.tensors[1].int64Scalars, b.tensors[1].int64Scalars)
        XCTAssertNotEqual(a.tensors[0].scalars, c.tensors[0].scalars)
        XCTAssertEqual(Set(a.tensors[1].int64Scalars).count, 4, "every class appears")
    }

    func testSyntheticClassesAreSeparable() {
        // With little noise each sample is nearest its own class centre, so the task is learnable.
        let ds = SyntheticDataModule.makeDataset(task: .classification(classes: 3), samples: 90, features: 8, noise: 0.1, seed: 1)
        let x = ds.tensors[0].scalars, y = ds.tensors[1].int64Scalars
        var centroids = [[Float]](repeating: [Float](repeating: 0, count: 8), count: 3)
        var counts = [Float](repeating: 0, count: 3)
        for i in 0..<90 {
            counts[Int(y[i])] += 1
            for j in 0..<8 { centroids[Int(y[i])][j] += x[i * 8 + j] }
        }
        for c in 0..<3 { centroids[c] = centroids[c].map { $0 / counts[c] } }
        var correct = 0
        for i in 0..<90 {
            let d = (0..<3).map { c in (0..<8).map { j in pow(x[i * 8 + j] - centroids[c][j], 2) }.reduce(0, +) }
            if d.firstIndex(of: d.min()!) == Int(y[i]) { correct += 1 }
        }
        XCTAssertEqual(correct, 90)
    }

    func testSyntheticRegressionTargets() throws {
        let dm = SyntheticDataModule(task: .regression(outputs: 2), samples: 64, features: 5, batchSize: 10, valFraction: 0.25, testFraction: 0, seed: 3)
        let (x, y) = try XCTUnwrap(try dm.trainDataLoader().flatMap { Array($0).first })
        XCTAssertEqual(x.shape, [10, 5])
        XCTAssertEqual(y.shape, [10, 2])
        XCTAssertEqual(y.dtype, .float32)
        XCTAssertNotNil(try dm.valDataLoader())
        XCTAssertNil(try dm.testDataLoader(), "no test split")
        XCTAssertNil(try dm.predictDataLoader())
    }
}
