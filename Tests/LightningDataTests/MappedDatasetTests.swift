import Foundation
import LightningTestSupport
import XCTest
@testable import LightningData

/// Mapped datasets give exactly the batches of in-memory ones over the same files, and a bad
/// file fails when it is opened, naming the file and the byte offset.
final class MappedDatasetTests: XCTestCase {
    private var scratch: TemporaryDirectory!

    override func setUp() { scratch = TemporaryDirectory(prefix: "mapped-data") }
    override func tearDown() { scratch.remove() }

    /// An `.npy` file of `descr` with `shape` whose data bytes are `data` (NumPy's 64-byte header padding).
    private func npy(_ name: String, descr: String, shape: [Int], data: [UInt8]) -> String {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
        dict += String(repeating: " ", count: (64 - (10 + dict.utf8.count + 1) % 64) % 64) + "\n"
        let length = dict.utf8.count
        return scratch.write(name, [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dict.utf8) + data)
    }

    /// An IDX file: the magic number, big-endian dimensions, then the bytes.
    private func idx(_ name: String, magic: UInt32, shape: [Int], bytes: [UInt8]) -> String {
        func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        return scratch.write(name, bigEndian(magic) + shape.flatMap { bigEndian(UInt32($0)) } + bytes)
    }

    /// Every batch of `a` and `b` for a few epochs, compared bit for bit.
    private func assertSameBatches(_ a: DataLoader<(Tensor, Tensor)>, _ b: DataLoader<(Tensor, Tensor)>,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for epoch in 0..<3 {
            a.setEpoch(epoch)
            b.setEpoch(epoch)
            let x = Array(a), y = Array(b)
            XCTAssertEqual(x.count, a.count, file: file, line: line)
            XCTAssertEqual(x.count, y.count, file: file, line: line)
            for (p, q) in zip(x, y) {
                XCTAssertEqual(p.0.shape, q.0.shape, file: file, line: line)
                XCTAssertEqual(p.0.dtype, q.0.dtype, file: file, line: line)
                XCTAssertEqual(p.1.dtype, q.1.dtype, file: file, line: line)
                XCTAssertEqual(p.0.withUnsafeBytes { Array($0) }, q.0.withUnsafeBytes { Array($0) }, file: file, line: line)
                XCTAssertEqual(p.1.withUnsafeBytes { Array($0) }, q.1.withUnsafeBytes { Array($0) }, file: file, line: line)
            }
        }
    }

    func testMappedNPYBatchesEqualInMemoryBatches() throws {
        let n = 203
        let x = Tensor.rand([n, 3, 5], generator: Generator(seed: 7))
        let xPath = scratch.file("x.npy")
        try NPY.write(x, to: xPath)
        // Labels stored as uint8 convert to int64 when gathered.
        let yPath = npy("y.npy", descr: "|u1", shape: [n], data: (0..<n).map { UInt8(($0 * 7) % 11) })
        let mapped = MappedTensorDataset(try NPY.map(path: xPath), try NPY.map(path: yPath))
        let memory = TensorDataset(try NPY.read(path: xPath), try NPY.read(path: yPath))
        XCTAssertEqual(mapped.count, n)
        XCTAssertEqual(mapped.arrays[1].dtype, .int64)
        for workers in [0, 2] {
            assertSameBatches(DataLoader(mapped, batchSize: 16, shuffle: true, seed: 42, numWorkers: workers),
                              DataLoader(memory, batchSize: 16, shuffle: true, seed: 42, prefetch: 0))
        }
        // Single samples, and index-based splits over the mapping (nothing copied).
        for i in [0, 101, n - 1] {
            XCTAssertEqual(mapped[i].0.scalars, memory[i].0.scalars)
            XCTAssertEqual(mapped[i].0.shape, [3, 5])
            XCTAssertEqual(mapped[i].1.int64Scalars, memory[i].1.int64Scalars)
        }
        let mappedSplits = DatasetSplits(mapped, valFraction: 0.2, testFraction: 0.1, seed: 3)
        let memorySplits = DatasetSplits(memory, valFraction: 0.2, testFraction: 0.1, seed: 3)
        XCTAssertEqual(mappedSplits.train.indices, memorySplits.train.indices)
        assertSameBatches(DataLoader(mappedSplits.train, batchSize: 8, shuffle: true, seed: 1),
                          DataLoader(memorySplits.train, batchSize: 8, shuffle: true, seed: 1))
    }

    func testFloat64AndBigEndianNPYConvertLikeTheReader() throws {
        let n = 9
        let values = (0..<n * 2).map { Double($0) / 3 - 1.5 }
        let f8 = npy("f8.npy", descr: "<f8", shape: [n, 2], data: values.flatMap { v in (0..<8).map { UInt8((v.bitPattern >> (8 * $0)) & 0xFF) } })
        let i2 = npy("i2.npy", descr: ">i2", shape: [n], data: (0..<n).flatMap { [UInt8(0), UInt8($0)] })
        let mapped = MappedTensorDataset(try NPY.map(path: f8), try NPY.map(path: i2))
        let memory = TensorDataset(try NPY.read(path: f8), try NPY.read(path: i2))
        assertSameBatches(DataLoader(mapped, batchSize: 4, shuffle: true, seed: 5), DataLoader(memory, batchSize: 4, shuffle: true, seed: 5))
        XCTAssertEqual(mapped.arrays[0].materialized().scalars, values.map { Float($0) })
        XCTAssertEqual(mapped.arrays[1].materialized().int64Scalars, (0..<n).map(Int64.init))
    }

    func testMappedIDXEqualsReadIDX() throws {
        let n = 37
        let images = idx("images", magic: 0x0803, shape: [n, 4, 3], bytes: (0..<n * 12).map { UInt8(($0 * 31) % 256) })
        let labels = idx("labels", magic: 0x0801, shape: [n], bytes: (0..<n).map { UInt8($0 % 10) })
        let mapped = try IDX.mappedDataset(images: images, labels: labels)
        let memory = try IDX.dataset(images: images, labels: labels)
        assertSameBatches(DataLoader(mapped, batchSize: 5, shuffle: true, seed: 9), DataLoader(memory, batchSize: 5, shuffle: true, seed: 9))
        // Pixels are bytes / 255, labels the bytes as int64.
        XCTAssertEqual(mapped[2].0.scalars, (24..<36).map { Float(($0 * 31) % 256) * (Float(1) / 255) })
        XCTAssertEqual(mapped[12].1.int64Scalars, [2])
    }

    func testMappedSafetensorsEqualsReadSafetensors() throws {
        let n = 21
        let path = scratch.file("data.safetensors")
        try Safetensors.write(["x": Tensor.rand([n, 4], generator: Generator(seed: 3)), "y": Tensor(labels: (0..<n).map { $0 % 3 })], to: path)
        let mapped = try MappedTensorDataset<(Tensor, Tensor)>(safetensorsFile: path)
        let memory = try TensorDataset<(Tensor, Tensor)>(safetensorsFile: path)
        assertSameBatches(DataLoader(mapped, batchSize: 4, shuffle: true, seed: 2), DataLoader(memory, batchSize: 4, shuffle: true, seed: 2))
        assertDataError(try MappedTensorDataset<(Tensor, Tensor)>(safetensorsFile: path, input: "x", target: "labels"),
                        kind: .mismatch, mentions: [path, "labels"])
    }

    func testTruncatedFilesFailAtOpenNamingFileAndOffset() throws {
        let path = scratch.file("x.npy")
        try NPY.write(Tensor.rand([10, 4]), to: path)
        let whole = try XCTUnwrap(FileManager.default.contents(atPath: path))
        let cut = whole.count - 5
        XCTAssertEqual(truncate(path, off_t(cut)), 0)
        // The data stops at the file's new end: that byte is the offset reported.
        assertDataError(try NPY.map(path: path), kind: .malformed, at: .byteOffset(cut), mentions: [path, "truncated"])

        let images = idx("images", magic: 0x0803, shape: [5, 2, 2], bytes: [UInt8](repeating: 1, count: 19))
        assertDataError(try IDX.mapImages(path: images), kind: .malformed, at: .byteOffset(16 + 19), mentions: [images, "length"])

        let safetensors = scratch.file("d.safetensors")
        try Safetensors.write(["x": Tensor.rand([6, 2]), "y": Tensor(labels: Array(0..<6))], to: safetensors)
        let size = try XCTUnwrap(FileManager.default.contents(atPath: safetensors)).count
        XCTAssertEqual(truncate(safetensors, off_t(size - 8)), 0)
        assertDataError(try MappedTensorDataset<(Tensor, Tensor)>(safetensorsFile: safetensors), kind: .malformed, mentions: [safetensors])

        assertDataError(try NPY.map(path: scratch.file("missing.npy")), kind: .unreadable, mentions: ["missing.npy"])
        assertDataError(try NPY.map(path: scratch.path), kind: .unreadable, mentions: ["directory"])
    }

    func testReplacingAMappedFileByRenameKeepsTheOldData() throws {
        let path = scratch.file("x.npy")
        let original = Tensor.rand([8, 2], generator: Generator(seed: 1))
        try NPY.write(original, to: path)
        let mapped = try NPY.map(path: path)
        let replacement = scratch.file("x.npy.new")
        try NPY.write(Tensor.rand([8, 2], generator: Generator(seed: 2)), to: replacement)
        XCTAssertEqual(rename(replacement, path), 0)
        XCTAssertEqual(mapped.materialized().scalars, original.scalars, "the mapping keeps the old inode")
    }
}
