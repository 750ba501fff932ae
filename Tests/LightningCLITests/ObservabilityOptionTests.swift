import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `--trainer.profiler` and the run-metric callbacks by name.
final class ObservabilityOptionTests: XCTestCase {
    func testProfilerIsOffByDefaultAndOnlyKnownNamesAreAccepted() throws {
        XCTAssertEqual(value(try resolved([]), "trainer.profiler"), .null)
        assertConfigError(["--trainer.profiler", "advanced"], contains: ["trainer.profiler", "simple or null"])
    }

    /// A CLI fit with the profiler and both monitors: profile.txt and the monitors' keys land in
    /// the run's directory, the training step counted once per batch run.
    func testAFitWritesTheProfileAndTheMonitorsKeys() throws {
        let root = makeTemporaryDirectory()
        let batches = 5
        let status = builtInCLI().run(["fit", "--trainer.default_root_dir", root.path, "--trainer.max_epochs", "1",
                                       "--trainer.limit_train_batches", "\(batches)", "--trainer.limit_val_batches", "2",
                                       "--trainer.log_every_n_steps", "1", "--trainer.enable_progress_bar", "false",
                                       "--trainer.profiler", "simple",
                                       "--trainer.callbacks+=ThroughputMonitor", "--trainer.callbacks.window_size", "2",
                                       "--trainer.callbacks+=DeviceStatsMonitor"])
        XCTAssertEqual(status, 0)
        let run = root.path + "/lightning_logs/version_0"
        let report = try String(contentsOfFile: run + "/profile.txt", encoding: .utf8)
        let stepRow = report.split(separator: "\n").first { $0.contains("SingleDeviceStrategy.training_step ") }
        let cells = stepRow.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        XCTAssertEqual(cells.count > 2 ? Int(cells[2]) : nil, batches, report)
        let header = try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8).split(separator: "\n").first ?? ""
        for key in ["train/samples_per_sec", "train/device/samples_per_sec", "DeviceStatsMonitor.on_train_batch_end/cpu_percent"] {
            XCTAssertTrue(header.split(separator: ",").contains(Substring(key)), "\(key) not in \(header)")
        }
    }
}
