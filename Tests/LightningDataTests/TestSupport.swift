import Foundation
import LightningTestSupport
import XCTest
@testable import LightningData

/// Asserts `body` throws a `DataError` of `kind` at `location` (when given) whose description
/// contains every string in `mentions`, and returns it.
@discardableResult
func assertDataError<T>(_ body: @autoclosure () throws -> T, kind: DataError.Kind, at location: DataError.Location? = nil,
                        mentions: [String] = [], file: StaticString = #filePath, line: UInt = #line) -> DataError? {
    do {
        _ = try body()
        XCTFail("expected a DataError (\(kind)), nothing was thrown", file: file, line: line)
        return nil
    } catch let error as DataError {
        XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: line)
        if let location { XCTAssertEqual(error.location, location, "\(error)", file: file, line: line) }
        for text in mentions {
            XCTAssertTrue(error.description.contains(text), "\"\(error)\" does not mention \"\(text)\"", file: file, line: line)
        }
        return error
    } catch {
        XCTFail("expected a DataError, got \(type(of: error)): \(error)", file: file, line: line)
        return nil
    }
}

/// The part of the `lightning_semantics.json` fixture these tests read.
struct SemanticsFixture: Decodable {
    /// PyTorch's `DistributedSampler` shards: `"n=7,world=2,shuffle=False,drop_last=False"` → indices per rank.
    let distributedSampler: [String: [[Int]]]

    enum CodingKeys: String, CodingKey { case distributedSampler = "distributed_sampler" }

    /// Decodes the fixture from this target's bundle.
    static func load() throws -> SemanticsFixture { try loadFixture("lightning_semantics", bundle: .module) }
}

/// A float32 `[rows, cols]` tensor whose element `(i, j)` is `i * 100 + j`, so rows are recognizable.
func indexedMatrix(rows: Int, cols: Int) -> Tensor {
    Tensor(shape: [rows, cols], scalars: (0..<rows * cols).map { Float(($0 / cols) * 100 + $0 % cols) })
}

/// The int64 labels `0..<n`.
func rangeLabels(_ n: Int) -> Tensor { Tensor(shape: [n], int64Scalars: (0..<n).map(Int64.init)) }

/// Every batch of one iteration, as the int64 label lists (the loader's dataset order).
func labelOrder(_ loader: DataLoader<(Tensor, Tensor)>) -> [[Int64]] {
    loader.map { $0.1.int64Scalars }
}

/// How many single-sample batches a loader built by `make` (given the collate hook) has built
/// once the loop took one and the background threads had time to fill what they may: polled
/// until 3 are built (so a loaded machine only slows it), then a pause for any built beyond.
func batchesBuiltAheadAfterOneTaken(_ make: (_ collate: @escaping ([Tensor]) -> Tensor) -> DataLoader<Tensor>) -> Int {
    let built = SharedCounter()
    let loader = make { samples in
        built.bump()
        return Tensor.collate(samples)
    }
    var it = loader.makeIterator()
    _ = it.next()
    let deadline = Date().addingTimeInterval(5)
    while built.value < 3 && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
    Thread.sleep(forTimeInterval: 0.1)
    withExtendedLifetime(it) {}
    return built.value
}
