import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// TrainingTimer (Lightning's `Timer`): a spent budget stops fit; the elapsed time survives a resume.
final class TrainingTimerTests: XCTestCase {
    let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 3,
                                                   logEveryNSteps: 1, sanitySteps: 0))

    func trainer(_ directory: TemporaryDirectory, epochs: Int, callbacks: [any Callback]) -> Trainer {
        Trainer(maxEpochs: epochs, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                callbacks: callbacks, logger: false)
    }

    func testASpentDurationStopsFitAfterTheBatch() throws {
        let model = RecordingClassifier()
        let trainer = trainer(makeTemporaryDirectory(), epochs: 5, callbacks: [TrainingTimer(duration: 0)])
        let messages = LineRecorder()
        try messages.capturingTrainerLog { try trainer.fit(model, trainDataloaders: loaders.train, valDataloaders: loaders.val) }
        XCTAssertEqual(messages.lines, ["Time limit reached. Elapsed time is 00:00. Signaling Trainer to stop.\n"])
        XCTAssertEqual(trainer.globalStep, 1)
        XCTAssertEqual(trainer.currentEpoch, 1, "the epoch ends at the stop")
        XCTAssertEqual(model.calls.filter { $0.hasPrefix("validation_step") }.count, 2 + 2, "the sanity check and the validation at the stop")
    }

    func testElapsedTimeIsCheckpointedAndKeepsCountingAfterAResume() throws {
        let directory = makeTemporaryDirectory()
        let timer = TrainingTimer()
        try trainer(directory, epochs: 2, callbacks: [timer, ModelCheckpoint(dirpath: directory.file("ckpt"), saveLast: true)])
            .fit(RecordingClassifier(), trainDataloaders: loaders.train, valDataloaders: loaders.val)
        let checkpoint = try CheckpointIO.read(path: directory.file("ckpt/last.ckpt"))
        let saved = try XCTUnwrap(checkpoint.metadata["callbacks"]?["TrainingTimer"]?["time_elapsed"]?.number)
        XCTAssertGreaterThan(saved, 0)
        XCTAssertLessThanOrEqual(saved, timer.timeElapsed())

        let resumedTimer = TrainingTimer()
        try trainer(directory, epochs: 3, callbacks: [resumedTimer, ModelCheckpoint(dirpath: directory.file("ckpt"), saveLast: true)])
            .fit(RecordingClassifier(), trainDataloaders: loaders.train, valDataloaders: loaders.val, ckptPath: "last")
        XCTAssertGreaterThan(resumedTimer.timeElapsed(), saved, "the resumed timer starts from the saved time")
        let resumedSaved = try XCTUnwrap(CheckpointIO.read(path: directory.file("ckpt/last.ckpt")).metadata["callbacks"]?["TrainingTimer"]?["time_elapsed"]?.number)
        XCTAssertGreaterThan(resumedSaved, saved)
    }
}
