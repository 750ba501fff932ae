#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
@testable import TensorBoardEvents

/// Failures name the file or directory and say why.
final class EventFileErrorTests: XCTestCase {
    func testReadOnlyDirectoryNamesTheEventFile() throws {
        guard geteuid() != 0 else {
            let reason = "running as root, which may write to a read-only directory; skipping"
            print(reason)
            throw XCTSkip(reason)
        }
        let directory = try temporaryLogDirectory()
        XCTAssertEqual(chmod(directory, 0o555), 0)
        defer { chmod(directory, 0o755) }
        XCTAssertThrowsError(try EventFileWriter(logDirectory: directory)) { error in
            let error = error as? EventFileError
            XCTAssertEqual(error?.operation, .createFile)
            XCTAssertTrue(error?.path.hasPrefix(directory + "/events.out.tfevents.") == true, "\(String(describing: error))")
            XCTAssertEqual(error?.reason, "Permission denied")
        }
    }

    func testLogDirectoryUnderAFileNamesTheDirectory() throws {
        let file = try temporaryLogDirectory() + "/not-a-directory"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data()))
        XCTAssertThrowsError(try EventFileWriter(logDirectory: file + "/run")) { error in
            XCTAssertEqual("\(error)", "cannot create log directory \(file)/run: Not a directory")
        }
        XCTAssertThrowsError(try EventFileWriter(logDirectory: file)) { error in
            XCTAssertEqual("\(error)", "cannot create log directory \(file): exists and is not a directory")
        }
    }

    func testAddingAfterCloseThrowsAndCloseIsIdempotent() throws {
        let writer = try EventFileWriter(logDirectory: try temporaryLogDirectory())
        try writer.close()
        try writer.close()
        XCTAssertThrowsError(try writer.addScalar(tag: "loss", value: 1, step: 0)) { error in
            XCTAssertEqual(error as? EventFileError,
                           EventFileError(.writeAfterClose, path: writer.path, reason: "the writer was closed"))
        }
        XCTAssertThrowsError(try writer.flush())
    }
}
