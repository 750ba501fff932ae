import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// The built-in path checks, offered to users' own options: a missing file or directory is a
/// configuration error naming the key, before anything runs.
final class PathOptionTests: XCTestCase {
    static let recording = ConfigOption<String?>("recording", default: nil, help: "a file the user's data module loads")
    static let folder = ConfigOption<String?>("folder", default: nil, help: "a directory")

    func section(_ values: [String: ConfigValue]) -> ConfigSection {
        var mapping = ConfigMapping()
        for (key, value) in values { mapping[key] = value }
        return ConfigSection(path: "data.init_args", values: mapping)
    }

    func testExistingPathsPassAndMissingOnesNameTheKey() throws {
        let directory = makeTemporaryDirectory()
        let file = directory.write("take.wav", [1, 2, 3])
        XCTAssertEqual(try section(["recording": .string(file)]).existingFile(Self.recording), file)
        XCTAssertEqual(try section(["folder": .string(directory.path)]).existingDirectory(Self.folder), directory.path)

        for (values, option, expected) in [(["recording": ConfigValue.string(directory.file("missing.wav"))], Self.recording, "an existing file"),
                                           (["recording": .string(directory.path)], Self.recording, "an existing file"),
                                           ([:], Self.recording, "an existing file"),
                                           (["folder": .string(file)], Self.folder, "an existing directory")] {
            XCTAssertThrowsError(try {
                _ = option.key == "folder" ? try section(values).existingDirectory(option) : try section(values).existingFile(option)
            }()) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("data.init_args.\(option.key)"), text)
                XCTAssertTrue(text.contains(expected), text)
            }
        }
    }
}
