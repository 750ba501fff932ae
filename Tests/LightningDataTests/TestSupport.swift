import Foundation
import XCTest
@testable import LightningData

/// A fresh directory under the system temp dir, removed when the test case ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "LightningDataTests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    /// Writes UTF-8 `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

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

/// The parsed `lightning_semantics.json` test fixture.
func semanticsFixture() throws -> [String: Any] {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "lightning_semantics", withExtension: "json", subdirectory: "Fixtures"))
    let data = try Data(contentsOf: url)
    return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
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
