import Foundation
import XCTest

/// A fresh directory under the system temporary directory, removed by ``remove()`` or when the
/// object goes away (keep it in a test case's property, or alive to the end of the test).
public final class TemporaryDirectory {
    /// The directory's absolute path.
    public let path: String

    /// Creates `<tmp>/<prefix>-<UUID>`; stops the test run if the file system refuses.
    public init(prefix: String = "lightning-tests") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            fatalError("TemporaryDirectory: cannot create \(path): \(error)")
        }
    }

    /// The path of `name` inside the directory (nothing is created).
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }

    /// Writes UTF-8 `text` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }

    /// The names of the directory's entries, sorted.
    public func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    /// Runs `body` with this directory as the current directory.
    public func withCurrentDirectory<R>(_ body: () throws -> R) throws -> R {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }

    /// Deletes the directory and everything in it (also done on deinit).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { remove() }
}

extension XCTestCase {
    /// A fresh temporary directory that is removed when the running test ends (XCTest keeps
    /// test case objects alive to the end of the run, so `deinit` alone would leave it behind).
    ///
    /// Call it during a test, e.g. from a `lazy var` property.
    public func makeTemporaryDirectory(prefix: String = "lightning-tests") -> TemporaryDirectory {
        let directory = TemporaryDirectory(prefix: prefix)
        addTeardownBlock { directory.remove() }
        return directory
    }
}
