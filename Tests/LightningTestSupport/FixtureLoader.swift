import Foundation
import XCTest

/// Decodes `Fixtures/<name>.json` from a test target's resource bundle (pass `Bundle.module`).
///
/// Fixtures are copies of the PyTorch-generated references, so a fresh clone tests without
/// `../shared`; a missing file fails the test naming it instead of crashing.
public func loadFixture<T: Decodable>(_ name: String, as type: T.Type = T.self, bundle: Bundle,
                                      file: StaticString = #filePath, line: UInt = #line) throws -> T {
    let url = try XCTUnwrap(bundle.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"),
                            "missing fixture Fixtures/\(name).json in \(bundle.bundlePath)", file: file, line: line)
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}
