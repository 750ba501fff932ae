import Foundation
import LightningTestSupport

extension TemporaryDirectory {
    /// Runs `body` with this directory as the current directory.
    func withCurrentDirectory<R>(_ body: () throws -> R) throws -> R {
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        return try body()
    }
}
