import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// CSVLogger draws metrics.svg beside metrics.csv: after every epoch and at the end of a fit.
final class MetricsSVGTests: XCTestCase {
    /// At the start of each epoch after the first, reads metrics.svg as it is on disk.
    private final class SVGWatcher: Callback {
        /// Epoch → the points of each series in the SVG at that epoch's start.
        var seen: [Int: [String: Int]] = [:]
        var failures: [String] = []

        func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
            guard trainer.currentEpoch > 0, let logDir = trainer.logger?.logDir else { return }
            do {
                seen[trainer.currentEpoch] = try SVGCurves(path: "\(logDir)/metrics.svg").pointCounts
            } catch {
                failures.append("epoch \(trainer.currentEpoch): \(error)")
            }
        }
    }

    func testAFitWritesMetricsSVGEveryEpochWithOnePathPerLoggedMetric() throws {
        let directory = makeTemporaryDirectory()
        let scenario = FitScenario(trainCount: 20, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 3, logEveryNSteps: 1, sanitySteps: 0)
        let (train, val) = ScenarioData.loaders(scenario)
        let watcher = SVGWatcher()
        let logger = CSVLogger(saveDir: directory.path)
        let trainer = Trainer(maxEpochs: scenario.maxEpochs, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, callbacks: [watcher], logger: .logger(logger))
        try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val)

        let logDir = try XCTUnwrap(logger.logDir)
        let files = try FileManager.default.contentsOfDirectory(atPath: logDir)
        XCTAssertTrue(files.contains("metrics.svg"), "\(files)")
        XCTAssertFalse(files.contains { $0.contains(".tmp-") }, "no temporary file left: \(files)")
        let curves = try SVGCurves(path: "\(logDir)/metrics.svg")
        let expected = try SVGCurves.expectedPointCounts(csvPath: "\(logDir)/metrics.csv")
        XCTAssertEqual(Set(expected.keys), ["train_loss_step", "train_loss_epoch", "val_loss", "val_acc"])
        XCTAssertEqual(curves.pointCounts, expected, "one path per metric column, one point per row holding it")
        XCTAssertEqual(curves.seriesNames.count, expected.count)
        XCTAssertEqual(curves.panels, ["loss", "acc"])

        // Each epoch's values are in the picture when the next epoch starts.
        XCTAssertEqual(watcher.failures, [])
        XCTAssertEqual(Set(watcher.seen.keys), Set(1..<scenario.maxEpochs))
        for (epoch, counts) in watcher.seen {
            XCTAssertEqual(counts["train_loss_epoch"], epoch, "epoch \(epoch): one epoch value per finished epoch")
            XCTAssertEqual(counts["val_loss"], epoch, "epoch \(epoch)")
        }
    }
}
