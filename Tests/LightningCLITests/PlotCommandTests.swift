import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `swift-lightning plot DIR... --output FILE.svg`.
final class PlotCommandTests: XCTestCase {
    /// A run logged through CSVLogger into `<root>/lightning_logs/version_<version>`: a step loss
    /// every step for `epochs` epochs of `steps` steps, and `val_loss` at each epoch's last step.
    @discardableResult
    private func loggedRun(root: String, version: Int, epochs: Int, steps: Int) throws -> String {
        let logger = CSVLogger(saveDir: root, version: version)
        for epoch in 0..<epochs {
            for index in 0..<steps {
                let step = epoch * steps + index
                try logger.logMetrics(["train_loss_step": 1 / Double(step + 1 + version), "epoch": Double(epoch)], step: step)
            }
            try logger.logMetrics(["val_loss": 1 / Double(epoch + 2 + version), "epoch": Double(epoch)], step: (epoch + 1) * steps - 1)
        }
        try logger.save()
        return try XCTUnwrap(logger.logDir)
    }

    func testOneRunIsDrawnWithOnePointPerLoggedValue() throws {
        let root = makeTemporaryDirectory()
        let run = try loggedRun(root: root.path, version: 0, epochs: 3, steps: 4)
        let output = root.file("curves.svg")
        XCTAssertEqual(builtInCLI().run(["plot", run, "--output", output]), 0)
        let curves = try SVGCurves(path: output)
        let expected = try SVGCurves.expectedPointCounts(csvPath: run + "/metrics.csv")
        XCTAssertEqual(Set(expected.keys), ["train_loss_step", "val_loss"])
        XCTAssertEqual(curves.pointCounts, expected, "a lone run's series carry the column names")
        XCTAssertFalse(try root.contents().contains { $0.contains(".tmp-") })
    }

    func testADirectoryOfVersionsIsOverlaid() throws {
        let root = makeTemporaryDirectory()
        let first = try loggedRun(root: root.path, version: 0, epochs: 2, steps: 3)
        let third = try loggedRun(root: root.path, version: 2, epochs: 4, steps: 3)
        // A version that never logged (a run that failed first) is passed over.
        try FileManager.default.createDirectory(atPath: root.path + "/lightning_logs/version_1", withIntermediateDirectories: true)
        let output = root.file("compare.svg")
        XCTAssertEqual(builtInCLI().run(["plot", root.path + "/lightning_logs", "--output=\(output)"]), 0)
        let curves = try SVGCurves(path: output)
        var expected: [String: Int] = [:]
        for (label, run) in [("version_0", first), ("version_2", third)] {
            for (column, count) in try SVGCurves.expectedPointCounts(csvPath: run + "/metrics.csv") { expected["\(label)/\(column)"] = count }
        }
        XCTAssertEqual(curves.pointCounts, expected)
        XCTAssertEqual(curves.seriesNames, ["version_0/train_loss_step", "version_0/val_loss", "version_2/train_loss_step", "version_2/val_loss"])
    }

    func testRunsGivenOneByOneAreOverlaidAndRepeatedNamesTakeTheirParent() throws {
        let a = makeTemporaryDirectory(), b = makeTemporaryDirectory()
        let first = try loggedRun(root: a.path, version: 0, epochs: 1, steps: 2)
        let second = try loggedRun(root: b.path, version: 0, epochs: 2, steps: 2)
        let output = a.file("two.svg")
        XCTAssertEqual(builtInCLI().run(["plot", first, second, "--output", output]), 0)
        let curves = try SVGCurves(path: output)
        XCTAssertEqual(curves.seriesNames.count, 4)
        XCTAssertTrue(curves.seriesNames.allSatisfy { $0.hasPrefix("lightning_logs/version_0/") }, "\(curves.seriesNames)")
        XCTAssertEqual(PlotCommand.labels(for: ["/x/exp_a/version_0", "/y/exp_b/version_0"]), ["exp_a/version_0", "exp_b/version_0"])
        XCTAssertEqual(PlotCommand.labels(for: ["/x/version_0", "/x/version_1"]), ["version_0", "version_1"])
    }

    func testADirectoryWithoutMetricsIsAnErrorNamingIt() throws {
        let root = makeTemporaryDirectory()
        let empty = root.path + "/nothing_here"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try PlotCommand(directories: [empty], output: root.file("x.svg")).execute()) { error in
            XCTAssertEqual("\(error)", "\(empty): no metrics.csv in it, and no version_N directory holding one")
        }
        XCTAssertThrowsError(try PlotCommand(directories: [root.path + "/missing"], output: root.file("x.svg")).execute()) { error in
            XCTAssertEqual("\(error)", "\(root.path)/missing: no such directory")
        }
        XCTAssertEqual(builtInCLI().run(["plot", empty, "--output", root.file("x.svg")]), 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.file("x.svg")))
    }

    func testAnUnparsableCSVIsAnErrorNamingTheFileWithExitStatusTwo() throws {
        let root = makeTemporaryDirectory()
        let run = root.path + "/version_0"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        _ = root.write("version_0/metrics.csv", text: "epoch,step,val_loss\n0,1,oops\n")
        let result = try runExecutable("swift-lightning", ["plot", run, "--output", "out.svg"], in: root.path)
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("error: \(run)/metrics.csv: line 2, column 'val_loss': 'oops' is not a number"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.file("out.svg")))
    }

    func testUsageErrors() throws {
        XCTAssertThrowsError(try PlotCommand.parse(["logs"])) { XCTAssertTrue("\($0)".contains("--output"), "\($0)") }
        XCTAssertThrowsError(try PlotCommand.parse(["--output", "a.svg"])) { XCTAssertTrue("\($0)".contains("log directory"), "\($0)") }
        XCTAssertThrowsError(try PlotCommand.parse(["logs", "--bins", "3"])) { XCTAssertTrue("\($0)".contains("'--bins'"), "\($0)") }
        XCTAssertEqual(try PlotCommand.parse(["a", "b", "-o", "c.svg"]), PlotCommand(directories: ["a", "b"], output: "c.svg"))
        XCTAssertNil(try PlotCommand.parse(["--help"]))
        XCTAssertEqual(builtInCLI().run(["plot", "logs"]), 2)
        XCTAssertTrue(builtInCLI().helpText(for: nil).contains("  plot "))
    }
}
