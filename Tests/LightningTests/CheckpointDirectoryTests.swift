import Foundation
@testable import Lightning
import LightningTestSupport
import XCTest

/// One rule for `"best"` and `"last"`: what a directory answers from the files alone equals what
/// the ModelCheckpoint that wrote them knew in its own process, in either mode, and a new
/// Trainer (as the CLI makes) finds the same files.
final class CheckpointDirectoryTests: XCTestCase {
    static let epochs = 4
    let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: epochs,
                                                   logEveryNSteps: 1, sanitySteps: 0))

    func fit(_ directory: TemporaryDirectory, _ checkpoint: ModelCheckpoint) throws -> Trainer {
        let trainer = Trainer(maxEpochs: Self.epochs, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [checkpoint], logger: false)
        try trainer.fit(RecordingClassifier(), trainDataloaders: loaders.train, valDataloaders: loaders.val)
        return trainer
    }

    func testBestAndLastMatchTheCallbackInBothModes() throws {
        for mode in [MonitorMode.min, .max] {
            // A loss, whose epochs never tie (accuracies may, and then the callback's pick among
            // equal scores is its dictionary's order).
            for metric in ["val_loss"] {
                let directory = makeTemporaryDirectory()
                let callback = ModelCheckpoint(dirpath: directory.file("ckpt"), monitor: metric, mode: mode, saveTopK: -1, saveLast: true)
                _ = try fit(directory, callback)
                let saved = CheckpointDirectory(directory.file("ckpt"))
                XCTAssertEqual(saved.checkpoints.count, Self.epochs + 1, "one per epoch and last.ckpt")
                XCTAssertEqual(try saved.best(), callback.bestModelPath, "\(metric) \(mode)")
                XCTAssertEqual(saved.last, callback.lastModelPath, "\(metric) \(mode)")

                // A new trainer, as a new process has, finds the same files on disk.
                let fresh = Trainer(defaultRootDir: directory.path, callbacks: [ModelCheckpoint(dirpath: directory.file("ckpt"))], logger: false)
                XCTAssertEqual(try fresh.checkpointPath(for: .best), callback.bestModelPath, "\(metric) \(mode)")
                XCTAssertEqual(try fresh.checkpointPath(for: .last), callback.lastModelPath, "\(metric) \(mode)")
            }
        }
    }

    func testUnmonitoredCheckpointsAnswerTheNewestForBothAndEmptyDirectoriesNothing() throws {
        let directory = makeTemporaryDirectory()
        let callback = ModelCheckpoint(dirpath: directory.file("ckpt"))
        _ = try fit(directory, callback)
        let saved = CheckpointDirectory(directory.file("ckpt"))
        XCTAssertEqual(saved.checkpoints, [callback.bestModelPath], "saveTopK 1 keeps the latest only")
        XCTAssertEqual(try saved.best(), callback.bestModelPath)
        XCTAssertEqual(saved.last, callback.bestModelPath, "no last.ckpt: the newest checkpoint")

        let empty = CheckpointDirectory(directory.file("nothing"))
        XCTAssertEqual(empty.checkpoints, [])
        XCTAssertNil(empty.last)
        XCTAssertNil(try empty.best())
        XCTAssertNil(CheckpointDirectory.firstHoldingCheckpoints([empty]))
        XCTAssertEqual(CheckpointDirectory.firstHoldingCheckpoints([empty, saved]), saved)
    }

    /// The default ModelCheckpoint writes under the default logger's newest version; a Trainer
    /// without a logger (the CLI's `--trainer.logger false`) still searches there.
    func testALoggerlessTrainerFindsTheNewestVersionsCheckpoints() throws {
        let directory = makeTemporaryDirectory()
        for _ in 0..<2 {
            let trainer = Trainer(maxEpochs: 1, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path)
            try trainer.fit(RecordingClassifier(), trainDataloaders: loaders.train, valDataloaders: loaders.val)
        }
        let fresh = Trainer(defaultRootDir: directory.path, logger: false)
        let newest = try XCTUnwrap(CheckpointDirectory.firstHoldingCheckpoints(fresh.checkpointDirectories))
        XCTAssertEqual(newest.path, "\(directory.path)/lightning_logs/version_1/checkpoints")
        XCTAssertEqual(try fresh.checkpointPath(for: .last), newest.checkpoints.last)
    }

    /// A checkpoint written before the mode was recorded: the kept worst value lies on the worse
    /// side of the best, which gives the mode.
    func testModeOfAStateWithoutOneComesFromItsKeptValues() throws {
        for mode in [MonitorMode.min, .max] {
            let best = 1.0, worse = mode == .min ? 2.0 : 0.5
            let state: Lightning.JSONValue = .object(["monitor": .string("val_loss"), "best_model_score": .number(best), "best_model_path": .string("a.ckpt"),
                                            "current_score": .number(worse), "best_k_models": .object([:]), "kth_best_model_path": .string("b.ckpt"),
                                            "kth_value": .number(worse), "last_model_path": .string("")])
            let checkpoint = Checkpoint(stateDict: [:], metadata: [CheckpointKey.callbacks: .object(["ModelCheckpoint{'monitor': 'val_loss'}": state])])
            XCTAssertEqual(ModelCheckpoint.recordedScore(in: checkpoint), .init(value: worse, mode: mode))
        }
    }
}
