import Foundation
import LightningTestSupport
import XCTest
@testable import LightningData

/// A mapped dataset read once in ascending order with ``MappedTensorDataset/releasingPagesBehind()``
/// keeps only the blocks around the batch in hand resident, and gives the same batches as
/// without; inputs without targets carry empty targets.
final class MappedPageReleaseTests: XCTestCase {
    private var scratch: TemporaryDirectory!

    override func setUp() { scratch = TemporaryDirectory(prefix: "mapped-release") }
    override func tearDown() { scratch.remove() }

    /// Rows of 1,024 float32 (4 KiB), enough for `blocks` release blocks.
    private func file(blocks: Int) throws -> (path: String, rows: Int, rowBytes: Int) {
        let width = 1024, rowBytes = width * 4
        let rows = blocks * MappedFile.releaseBlock / rowBytes
        let path = scratch.file("rows.npy")
        try NPY.write(Tensor.rand([rows, width], generator: Generator(seed: 5)), to: path)
        return (path, rows, rowBytes)
    }

    /// This process's resident bytes of the mapping of `path` (`Rss` in `/proc/self/smaps`).
    private func residentBytes(of path: String) throws -> Int {
        // Read to the end in a loop: /proc files report size 0, which a one-shot read trusts.
        let handle = try XCTUnwrap(FileHandle(forReadingAtPath: "/proc/self/smaps"))
        defer { try? handle.close() }
        let lines = String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self).split(separator: "\n")
        var inMapping = false, total = 0
        for line in lines {
            if let first = line.first, first.isHexDigit, line.contains("-") && line.split(separator: " ").count >= 5 {
                inMapping = line.hasSuffix(path)
            } else if inMapping, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])! * 1024
            }
        }
        return total
    }

    func testAscendingReadKeepsAFewBlocksResident() throws {
        let blocks = 8
        let (path, rows, rowBytes) = try file(blocks: blocks)
        let batch = 64
        let keeping = try MappedTensorDataset(NPY.map(path: path, as: .float32))
        let releasing = keeping.releasingPagesBehind()
        var peak = 0
        for start in stride(from: 0, to: rows, by: batch) {
            let indices = Array(start..<min(rows, start + batch))
            XCTAssertEqual(releasing.batch(at: indices)!.scalars, keeping.batch(at: indices)!.scalars, "batch at \(start)")
            peak = max(peak, try residentBytes(of: path))
        }
        // What stays mapped: the block the batch starts in, the batch, the block it ends in, and
        // the kernel's fault-around or a huge page past it.
        let bound = 2 * MappedFile.releaseBlock + batch * rowBytes + MappedFile.releaseBlock
        XCTAssertLessThanOrEqual(peak, bound, "resident bytes of the mapping while reading \(rows * rowBytes) bytes")
        // Without release, the same pass leaves most of the file resident (the contrast that
        // makes the bound above mean something).
        let dataset = try MappedTensorDataset(NPY.map(path: path, as: .float32))
        for start in stride(from: 0, to: rows, by: batch) { _ = dataset.batch(at: Array(start..<min(rows, start + batch))) }
        XCTAssertGreaterThan(try residentBytes(of: path), bound, "a pass without release maps the file")
        withExtendedLifetime(dataset) {}
    }

    func testReadingAgainAfterReleaseGivesTheSameRows() throws {
        let (path, rows, _) = try file(blocks: 3)
        let releasing = try MappedTensorDataset(NPY.map(path: path, as: .float32)).releasingPagesBehind()
        let everything = try NPY.read(path: path)
        _ = releasing.batch(at: [rows - 1])
        // Row 0's block was released: reading it faults the cached page back in.
        XCTAssertEqual(releasing.batch(at: [0, rows / 2])!.scalars,
                       Array(everything.scalars[0..<1024]) + Array(everything.scalars[(rows / 2 * 1024)..<((rows / 2 + 1) * 1024)]))
    }

    func testUnlabeledInputsHaveEmptyTargets() throws {
        let path = scratch.file("x.npy")
        try NPY.write(Tensor.rand([5, 3, 2], generator: Generator(seed: 1)), to: path)
        let dataset = MappedTensorDataset<(Tensor, Tensor)>(unlabeled: try NPY.map(path: path, as: .float32), targetDType: .int64)
        XCTAssertEqual(dataset.count, 5)
        let sample = dataset[2]
        XCTAssertEqual(sample.0.shape, [3, 2])
        XCTAssertEqual(sample.1.shape, [0])
        let batch = try XCTUnwrap(dataset.batch(at: [4, 1]))
        XCTAssertEqual(batch.0.shape, [2, 3, 2])
        XCTAssertEqual(batch.1.shape, [2, 0])
        XCTAssertEqual(batch.1.dtype, .int64)
    }
}
