import LightningTestSupport
import XCTest
@testable import LightningData

final class SafetensorsDatasetTests: XCTestCase {
    lazy var dir = makeTemporaryDirectory()

    func testPairDatasetFromNamedTensors() throws {
        let path = dir.file("data.safetensors")
        try Safetensors.write(["x": indexedMatrix(rows: 4, cols: 2), "y": rangeLabels(4)], to: path)
        let ds = try TensorDataset(safetensorsFile: path)
        XCTAssertEqual(ds.count, 4)
        XCTAssertEqual(ds[3].0.scalars, [300, 301])
        XCTAssertEqual(ds[3].1.int64Scalars, [3])
        let batches = Array(DataLoader(ds, batchSize: 3))
        XCTAssertEqual(batches.map { $0.1.int64Scalars }, [[0, 1, 2], [3]])
        let columns = try TensorDataset(safetensorsFile: path, names: ["y", "x"])
        XCTAssertEqual(columns[1][0].int64Scalars, [1])
    }

    func testMissingTensorMismatchedRowsAndCorruptFile() throws {
        let path = dir.file("data.safetensors")
        try Safetensors.write(["inputs": indexedMatrix(rows: 4, cols: 2), "labels": rangeLabels(3)], to: path)
        assertDataError(try TensorDataset(safetensorsFile: path), kind: .mismatch, mentions: ["no tensor named 'x'", "inputs"])
        assertDataError(try TensorDataset(safetensorsFile: path, input: "inputs", target: "labels"), kind: .mismatch,
                        mentions: ["3 rows", "4"])
        let corrupt = dir.write("corrupt.safetensors", [200, 0, 0, 0, 0, 0, 0, 0, 123])
        assertDataError(try TensorDataset(safetensorsFile: corrupt), kind: .malformed, mentions: ["corrupt.safetensors"])
        assertDataError(try TensorDataset(safetensorsFile: dir.file("absent.safetensors")), kind: .unreadable, mentions: ["absent.safetensors"])
    }
}
