import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// GradientAccumulationScheduler: optimizer steps per epoch follow the schedule, also after a mid-epoch resume.
final class GradientAccumulationSchedulerTests: XCTestCase {
    /// The global step at each epoch's end.
    final class StepsPerEpoch: Callback {
        var globalSteps: [Int] = []
        func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws { globalSteps.append(trainer.globalStep) }
    }

    let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 3,
                                                   logEveryNSteps: 1, sanitySteps: 0))

    func run(_ directory: TemporaryDirectory, callbacks: [any Callback], ckptPath: String? = nil) throws -> (RecordingClassifier, Trainer) {
        seedEverything(21)
        let model = RecordingClassifier()
        let trainer = Trainer(maxEpochs: 3, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [GradientAccumulationScheduler(scheduling: [0: 1, 1: 2, 2: 3])] + callbacks, logger: false)
        try trainer.fit(model, trainDataloaders: loaders.train, ckptPath: ckptPath)
        return (model, trainer)
    }

    func testStepsPerEpochFollowTheSchedule() throws {
        let steps = StepsPerEpoch()
        let (_, trainer) = try run(makeTemporaryDirectory(), callbacks: [steps])
        // 7 batches: every batch steps; then batches 1, 3, 5 and the last; then 2, 5 and the last.
        XCTAssertEqual(steps.globalSteps, [7, 11, 14])
        XCTAssertEqual(trainer.accumulateGradBatches, 3)
    }

    func testAResumeInsideAnAccumulatingEpochKeepsItsFactor() throws {
        let straight = try run(makeTemporaryDirectory(), callbacks: []).0
        let directory = makeTemporaryDirectory()
        let checkpoints = ModelCheckpoint(dirpath: directory.file("ckpt"), saveTopK: 0, saveLast: true, everyNTrainSteps: 1)
        XCTAssertThrowsError(try run(directory, callbacks: [checkpoints, ExactResumeTests.CrashAt(epoch: 1, batch: 5)]))
        let steps = StepsPerEpoch()
        let (resumed, trainer) = try run(directory, callbacks: [steps, ModelCheckpoint(dirpath: directory.file("ckpt"), saveTopK: 0, saveLast: true)],
                                         ckptPath: directory.file("ckpt/last.ckpt"))
        XCTAssertEqual(steps.globalSteps, [11, 14])
        XCTAssertEqual(trainer.globalStep, 14)
        XCTAssertEqual(Array(resumed.trainLosses.suffix(8)), Array(straight.trainLosses.suffix(8)))
    }
}
