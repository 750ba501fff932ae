import Foundation
import XCTest

extension XCTestCase {
    /// A fresh empty directory under the system's temporary directory, removed after the test.
    func temporaryLogDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "tensorboard-events-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
