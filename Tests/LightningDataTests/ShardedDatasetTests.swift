import Checksums
import Foundation
import LightningTestSupport
import XCTest
@testable import LightningData

/// A directory of shards reads back exactly the arrays it was written from: every batch equals the
/// in-memory dataset's for the same indices, the loader's order (plain and sharded across ranks)
/// does not depend on how the data is stored, the index's sizes and checksums are those of the
/// files, and a damaged directory is refused at open with every problem listed.
final class ShardedDatasetTests: XCTestCase {
    private var scratch: TemporaryDirectory!
    /// 50 samples in shards of 8: six full shards and a last one of 2.
    private let n = 50, perShard = 8
    private var x: Tensor!, y: Tensor!

    override func setUp() {
        scratch = makeTemporaryDirectory(prefix: "sharded")
        x = Tensor.rand([n, 2, 3], generator: Generator(seed: 11))
        y = Tensor(labels: (0..<n).map { ($0 * 7) % 5 })
    }
    override func tearDown() { scratch.remove() }

    /// Writes the test arrays as shards in `format` into a new directory and returns its path.
    private func writeShards(_ format: ShardIndex.FileFormat, name: String = "shards") throws -> String {
        let directory = scratch.file(name)
        try ShardWriter.write([ShardColumn(name: "x", tensor: x), ShardColumn(name: "y", tensor: y)], to: directory,
                              samplesPerShard: perShard, format: format)
        return directory
    }

    private func assertSameBatch(_ a: (Tensor, Tensor), _ b: (Tensor, Tensor), file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.0.shape, b.0.shape, file: file, line: line)
        XCTAssertEqual(a.0.dtype, b.0.dtype, file: file, line: line)
        XCTAssertEqual(a.0.scalars, b.0.scalars, file: file, line: line)
        XCTAssertEqual(a.1.shape, b.1.shape, file: file, line: line)
        XCTAssertEqual(a.1.dtype, b.1.dtype, file: file, line: line)
        XCTAssertEqual(a.1.int64Scalars, b.1.int64Scalars, file: file, line: line)
    }

    func testBatchesEqualTheInMemoryDatasetForBothFormats() throws {
        let memory = TensorDataset(x, y)
        for format in ShardIndex.FileFormat.allCases {
            let sharded = try ShardedDataset<(Tensor, Tensor)>(directory: try writeShards(format, name: format.rawValue))
            XCTAssertEqual(sharded.count, n)
            XCTAssertEqual(sharded.shardStarts, [0, 8, 16, 24, 32, 40, 48, 50])
            // Indices across shard boundaries, repeated, out of order, and the short last shard.
            for indices in [[0], [7, 8], [49, 0, 48, 23, 23, 15], Array(0..<n)] {
                assertSameBatch(try XCTUnwrap(sharded.batch(at: indices)), try XCTUnwrap(memory.batch(at: indices)))
            }
            for i in [0, 8, 31, 49] { assertSameBatch(sharded[i], memory[i]) }
            XCTAssertEqual(sharded.location(of: 0).shard, 0)
            XCTAssertEqual(sharded.location(of: 47).shard, 5)
            XCTAssertEqual(sharded.location(of: 48).shard, 6)
            XCTAssertEqual(sharded.location(of: 49).row, 1)
        }
    }

    func testExactOrderLoadersEqualInMemoryLoadersOnOneAndThreeRanks() throws {
        let memory = TensorDataset(x, y)
        let sharded = try ShardedDataset<(Tensor, Tensor)>(directory: try writeShards(.npy))
        let a = DataLoader(memory, batchSize: 7, shuffle: true, seed: 5, prefetch: 0)
        let b = DataLoader(sharded, batchSize: 7, shuffle: true, seed: 5, numWorkers: 2)
        for world in [1, 3] {
            for rank in 0..<world {
                let ra = a.sharded(rank: rank, worldSize: world, padded: true), rb = b.sharded(rank: rank, worldSize: world, padded: true)
                for epoch in 0..<2 {
                    ra.setEpoch(epoch)
                    rb.setEpoch(epoch)
                    let batchesA = Array(ra), batchesB = Array(rb)
                    XCTAssertEqual(batchesA.count, batchesB.count)
                    for (p, q) in zip(batchesA, batchesB) { assertSameBatch(p, q) }
                }
            }
        }
    }

    func testIndexGivesEachFilesSizeAndCRC32C() throws {
        let directory = try writeShards(.npy)
        let index = try ShardIndex.read(directory: directory)
        XCTAssertEqual(index.shards.map(\.sampleCount), [8, 8, 8, 8, 8, 8, 2])
        XCTAssertEqual(index.columns, [ShardIndex.Column(name: "x", dtype: .float32, sampleShape: [2, 3]),
                                       ShardIndex.Column(name: "y", dtype: .int64, sampleShape: [])])
        for shard in index.shards {
            XCTAssertEqual(shard.files.count, 2)
            for file in shard.files {
                let bytes = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/" + file.name))
                XCTAssertEqual(file.byteCount, bytes.count)
                XCTAssertEqual(file.crc32c, CRC32C.checksum(Array(bytes)))
            }
        }
        // Each .npy shard is the NumPy file of its rows.
        let last = try NPY.read(path: directory + "/" + index.shards[6].files[1].name)
        XCTAssertEqual(last.int64Scalars, Array(y.int64Scalars[48...]))
        // The JSON round-trips.
        XCTAssertEqual(try ShardIndex.parse(Array(index.jsonText().utf8), file: "index.json", directory: directory), index)
    }

    func testEveryDamagedShardIsListedAtOpen() throws {
        let directory = try writeShards(.npy)
        let index = try ShardIndex.read(directory: directory)
        let missing = directory + "/" + index.shards[1].files[0].name
        let grown = directory + "/" + index.shards[2].files[1].name
        let flipped = directory + "/" + index.shards[4].files[0].name
        try FileManager.default.removeItem(atPath: missing)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: grown))
        handle.seekToEndOfFile()
        handle.write(Data([0]))
        handle.closeFile()
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: flipped))
        bytes[bytes.count - 1] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: flipped))

        func problems(checksums: Bool) -> [String] {
            do {
                _ = try ShardedDataset<(Tensor, Tensor)>(directory: directory, verifyChecksums: checksums)
                XCTFail("a damaged dataset opened")
            } catch let error as ShardedDatasetError {
                XCTAssertTrue(error.description.hasPrefix(directory), error.description)
                return error.problems
            } catch {
                XCTFail("expected a ShardedDatasetError, got \(error)")
            }
            return []
        }
        let all = problems(checksums: true)
        XCTAssertEqual(all.count, 3, "\(all)")
        XCTAssertTrue(all.contains { $0.hasPrefix(missing) && $0.contains("missing") }, "\(all)")
        XCTAssertTrue(all.contains { $0.hasPrefix(grown) && $0.contains("bytes") }, "\(all)")
        XCTAssertTrue(all.contains { $0.hasPrefix(flipped) && $0.contains("CRC-32C") }, "\(all)")
        // Without checksums the sizes still catch the missing and the grown file.
        let sizes = problems(checksums: false)
        XCTAssertEqual(sizes.count, 2, "\(sizes)")
        XCTAssertFalse(sizes.contains { $0.hasPrefix(flipped) }, "\(sizes)")
    }

    func testAnIndexThatDoesNotParseIsRefusedWithEveryProblem() throws {
        let directory = try writeShards(.safetensors)
        let indexPath = directory + "/" + ShardIndex.fileName
        try Data("{\"format\": \"swift-lightning-shards\", ".utf8).write(to: URL(fileURLWithPath: indexPath))
        XCTAssertThrowsError(try ShardedDataset<(Tensor, Tensor)>(directory: directory)) { error in
            let problems = (error as? ShardedDatasetError)?.problems ?? []
            XCTAssertEqual(problems.count, 1, "\(error)")
            XCTAssertTrue(problems.first?.contains("does not parse as JSON") == true, "\(error)")
            XCTAssertTrue(problems.first?.hasPrefix(indexPath) == true, "\(error)")
        }
        let bad = #"{"format": "swift-lightning-shards", "version": 9, "file_format": "zip", "arrays": [{"name": "x", "dtype": "float16", "sample_shape": [3]}], "shards": [{"samples": 0, "files": []}]}"#
        try Data(bad.utf8).write(to: URL(fileURLWithPath: indexPath))
        XCTAssertThrowsError(try ShardedDataset<(Tensor, Tensor)>(directory: directory)) { error in
            let problems = (error as? ShardedDatasetError)?.problems ?? []
            // version, file_format, dtype and samples: four problems, each naming the index.
            XCTAssertEqual(problems.count, 4, "\(error)")
            for word in ["version", "file_format", "dtype", "samples"] {
                XCTAssertTrue(problems.contains { $0.contains(word) && $0.hasPrefix(indexPath) }, "\(word): \(error)")
            }
        }
        try FileManager.default.removeItem(atPath: indexPath)
        XCTAssertThrowsError(try ShardedDataset<(Tensor, Tensor)>(directory: directory)) { error in
            XCTAssertTrue("\(error)".contains(indexPath), "\(error)")
        }
    }

    func testWriterRefusesAnExistingDirectoryAndLeavesNothingWhenItFails() throws {
        let directory = try writeShards(.npy)
        assertDataError(try writeShards(.npy), kind: .unreadable, mentions: [directory, "already exists"])
        let other = scratch.file("other")
        assertDataError(try ShardWriter.write([ShardColumn(name: "x", tensor: x), ShardColumn(name: "y", tensor: Tensor(labels: [1, 2]))],
                                              to: other, samplesPerShard: 4, format: .npy),
                        kind: .mismatch, mentions: [other, "'y' has 2 samples"])
        XCTAssertEqual(try scratch.contents(), ["shards"])
    }

    func testShardsOpenOnlyWhenTheirSamplesAreRead() throws {
        let sharded = try ShardedDataset<(Tensor, Tensor)>(directory: try writeShards(.npy))
        XCTAssertEqual(sharded.mappedShardCount, 0)
        _ = sharded[9]
        _ = sharded.batch(at: [10, 12, 15])
        XCTAssertEqual(sharded.mappedShardCount, 1)
        _ = sharded.batch(at: [49])
        XCTAssertEqual(sharded.mappedShardCount, 2)
    }

    func testExactOrderResumesMidEpochWithTheRemainingBatches() throws {
        let sharded = try ShardedDataset<(Tensor, Tensor)>(directory: try writeShards(.safetensors))
        func loader() -> DataLoader<(Tensor, Tensor)> {
            DataLoader(sharded, batchSize: 6, shuffle: true, seed: 8).sharded(rank: 2, worldSize: 3, padded: true)
        }
        let whole = loader()
        whole.setEpoch(1)
        let all = Array(whole)
        let resumed = loader()
        try resumed.resume(from: DataLoaderPosition(epoch: 1, batchesServed: 1))
        let rest = Array(resumed)
        XCTAssertEqual(rest.count, all.count - 1)
        for (p, q) in zip(rest, all.dropFirst()) { assertSameBatch(p, q) }
    }
}
