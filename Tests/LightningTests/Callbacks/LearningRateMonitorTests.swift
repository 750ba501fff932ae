import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// LearningRateMonitor: learning rates in the logger's files and `callbackMetrics`, named as Lightning names them.
final class LearningRateMonitorTests: XCTestCase {
    let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 3, logEveryNSteps: 1, sanitySteps: 0)

    /// Fits `model` with a CSV logger and `monitor`; returns the trainer and its metrics.csv.
    func fit<M: LightningModule>(_ model: M, monitor: LearningRateMonitor, epochs: Int = 3) throws -> (Trainer, CSVRows)
    where M.Batch == (Tensor, Tensor) {
        let directory = makeTemporaryDirectory()
        let trainer = Trainer(maxEpochs: epochs, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, callbacks: [monitor], logger: .logger(CSVLogger(saveDir: directory.path)))
        try trainer.fit(model, trainDataloaders: ScenarioData.loaders(scenario).train)
        return (trainer, try CSVRows(path: "\(trainer.logger!.logDir!)/metrics.csv"))
    }

    func testEpochSchedulerIsLoggedAtEachEpochStartUnderLrSGD() throws {
        let (trainer, csv) = try fit(RecordingClassifier(lr: 0.1), monitor: LearningRateMonitor())
        let rows = csv.rows.filter { $0["lr-SGD"] != nil }
        XCTAssertEqual(rows.map { $0["lr-SGD"]! }, ["0.1", "0.05", "0.025"])
        XCTAssertEqual(rows.map { $0["step"]! }, ["0", "7", "14"])
        XCTAssertEqual(rows.map { $0["epoch"]! }, ["0", "1", "2"])
        XCTAssertEqual(trainer.callbackMetrics["lr-SGD"], 0.025)
    }

    func testStepIntervalLogsBeforeEveryLoggedStep() throws {
        let (_, csv) = try fit(RecordingClassifier(lr: 0.1), monitor: LearningRateMonitor(loggingInterval: .step), epochs: 2)
        let rows = csv.rows.filter { $0["lr-SGD"] != nil }
        XCTAssertEqual(rows.map { $0["step"]! }, (0..<14).map { "\($0)" })
        XCTAssertEqual(rows.map { $0["lr-SGD"]! }, Array(repeating: "0.1", count: 7) + Array(repeating: "0.05", count: 7))
    }

    /// Two SGDs: the scheduled one is `lr-SGD` (at epoch starts), the other `lr-SGD-1` (at every
    /// interval, having no scheduler of its own).
    func testSeveralOptimizersOfOneTypeAreNumbered() throws {
        let (_, csv) = try fit(TinyGAN(), monitor: LearningRateMonitor(), epochs: 2)
        XCTAssertEqual(csv.header.filter { $0.hasPrefix("lr-") }, ["lr-SGD", "lr-SGD-1"])
        XCTAssertEqual(csv.rows.compactMap { $0["lr-SGD"] }, ["0.2", "0.2"])
        XCTAssertEqual(csv.rows.compactMap { $0["lr-SGD-1"] }, Array(repeating: "0.1", count: 2 + 14))
    }

    func testWithoutALoggerItIsAnError() throws {
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, callbacks: [LearningRateMonitor()], logger: false)
        XCTAssertThrowsError(try trainer.fit(RecordingClassifier(), trainDataloaders: ScenarioData.loaders(scenario).train)) { error in
            XCTAssertEqual("\(error)", "LearningRateMonitor needs a logger, and the Trainer has none (logger: false)")
        }
    }
}
