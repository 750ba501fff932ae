import Foundation

/// A fresh directory under the system temporary directory, removed on `deinit`.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = NSTemporaryDirectory() + "swift-lightning-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Runs `body` with this directory as the current directory.
    func withCurrentDirectory<R>(_ body: () throws -> R) throws -> R {
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(path)
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }
}
