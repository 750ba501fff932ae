import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `--trainer.logger.log_histograms_every_n_steps` of the tensorboard logger.
final class HistogramOptionTests: XCTestCase {
    /// The event file of the one run under `root`.
    static func eventFile(under root: String) throws -> String {
        let logs = root + "/lightning_logs"
        let versions = try FileManager.default.contentsOfDirectory(atPath: logs)
        XCTAssertEqual(versions, ["version_0"], "one run directory")
        let files = try FileManager.default.contentsOfDirectory(atPath: logs + "/version_0").filter { $0.hasPrefix("events.out.tfevents.") }
        XCTAssertEqual(files.count, 1, "one event file: \(files)")
        return logs + "/version_0/" + (try XCTUnwrap(files.first))
    }

    /// Whether `path`'s bytes contain `text` (a tag is stored as its UTF-8 bytes).
    static func file(_ path: String, contains text: String) throws -> Bool {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.range(of: Data(text.utf8)) != nil
    }

    func testOffByDefaultAndAtLeastOne() throws {
        let config = try resolved(["--trainer.logger", "tensorboard"])
        XCTAssertEqual(value(config, "trainer.logger.init_args.log_histograms_every_n_steps"), .null)
        assertConfigError(["--trainer.logger", "tensorboard", "--trainer.logger.log_histograms_every_n_steps", "0"],
                          contains: ["log_histograms_every_n_steps", "an integer >= 1 or null"])
    }

    func testAFitWritesWeightAndGradientHistograms() throws {
        let root = makeTemporaryDirectory()
        let status = builtInCLI().run(["fit", "--trainer.default_root_dir", root.path, "--trainer.max_epochs", "1", "--trainer.enable_progress_bar", "false",
                                       "--trainer.logger", "tensorboard", "--trainer.logger.log_histograms_every_n_steps", "3"])
        XCTAssertEqual(status, 0)
        let events = try Self.eventFile(under: root.path)
        XCTAssertTrue(try Self.file(events, contains: "weights/"))
        XCTAssertTrue(try Self.file(events, contains: "gradients/"))
    }
}
