import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Launches no process: "mpirun" below is only text in an expected error message, so there is no
// timeout to give.

/// Trainer arguments doing what Lightning's do: batch limits, step and time budgets, minimum
/// epochs, fast dev runs, validation cadence, sanity checks, and invalid arguments reported together.
final class TrainerArgumentsTests: XCTestCase {
    /// 7 training batches of 4; 3 validation batches of 5, 5 and 2.
    let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 12, valBatch: 5, maxEpochs: 1,
                                                   logEveryNSteps: 1, sanitySteps: 0))

    /// Fits a RecordingClassifier with `trainer`; returns the module.
    @discardableResult
    func fit(_ trainer: Trainer) throws -> RecordingClassifier {
        let model = RecordingClassifier()
        try trainer.fit(model, trainDataloaders: loaders.train, valDataloaders: loaders.val)
        return model
    }

    func quiet(maxEpochs: Int? = 2, minEpochs: Int? = nil, maxSteps: Int? = nil, maxTime: Double? = nil, limitTrainBatches: BatchLimit = 1.0,
               checkValEveryNEpoch: Int? = 1, numSanityValSteps: Int = 0, fastDevRun: Int = 0, directory: TemporaryDirectory? = nil,
               callbacks: [any Callback] = []) -> Trainer {
        Trainer(maxEpochs: maxEpochs, minEpochs: minEpochs, maxSteps: maxSteps, maxTime: maxTime, limitTrainBatches: limitTrainBatches,
                checkValEveryNEpoch: checkValEveryNEpoch, numSanityValSteps: numSanityValSteps, fastDevRun: fastDevRun,
                enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                defaultRootDir: (directory ?? makeTemporaryDirectory()).path, callbacks: callbacks, logger: false)
    }

    func count(_ prefix: String, in calls: [String]) -> Int { calls.filter { $0.hasPrefix(prefix) }.count }

    func testFractionalLimitTrainBatches() throws {
        let trainer = quiet(limitTrainBatches: 0.5)
        let model = try fit(trainer)
        XCTAssertEqual(trainer.numTrainingBatches, 3, "int(7 × 0.5)")
        XCTAssertEqual(trainer.globalStep, 6)
        XCTAssertEqual(model.calls.filter { $0.hasPrefix("training_step") }, (0..<2).flatMap { _ in (0..<3).map { "training_step(\($0))" } })
    }

    func testMaxStepsEndsInsideAnEpoch() throws {
        let trainer = quiet(maxEpochs: nil, maxSteps: 10)
        let messages = LineRecorder()
        let model = try messages.capturingTrainerLog { try fit(trainer) }
        XCTAssertEqual(messages.lines, ["`Trainer.fit` stopped: `maxSteps=10` reached.\n"])
        XCTAssertEqual(trainer.globalStep, 10)
        XCTAssertEqual(model.trainLosses.count, 10)
        XCTAssertEqual(model.calls.filter { $0.hasPrefix("training_step") }.last, "training_step(2)")
        XCTAssertEqual(trainer.currentEpoch, 2, "the cut epoch still ends")
        XCTAssertEqual(trainer.progress.validationRuns, 1, "validation runs at epoch ends, not at the cut")
    }

    func testMaxTimeStopsAfterTheBatchThatSpendsIt() throws {
        let spent = quiet(maxEpochs: 3, maxTime: 0)
        try fit(spent)
        XCTAssertEqual(spent.globalStep, 1)

        final class SlowBatches: Callback {
            func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
                usleep(30_000)
            }
        }
        let budget = quiet(maxEpochs: 3, maxTime: 0.1, callbacks: [SlowBatches()])
        try fit(budget)
        XCTAssertGreaterThanOrEqual(budget.globalStep, 1)
        XCTAssertLessThan(budget.globalStep, 7, "30 ms batches spend 0.1 s inside the first epoch")

        // A TrainingTimer of the user's own wins, as in Lightning.
        let messages = LineRecorder()
        let own = quiet(maxEpochs: 2, maxTime: 0, callbacks: [TrainingTimer()])
        try messages.capturingTrainerLog { try fit(own) }
        XCTAssertEqual(own.globalStep, 14)
        XCTAssertEqual(messages.lines, ["Ignoring Trainer(maxTime: 0.0): the callbacks already hold a TrainingTimer\n",
                                        "`Trainer.fit` stopped: `maxEpochs=2` reached.\n"])
    }

    func testMinEpochsOverridesAnEarlyStop() throws {
        let stopper = EarlyStopping(monitor: "val_loss", minDelta: 10, patience: 1)
        let early = quiet(maxEpochs: 10, callbacks: [stopper])
        try fit(early)
        XCTAssertEqual(early.currentEpoch, 2, "stopped after the second epoch without minEpochs")

        let kept = quiet(maxEpochs: 10, minEpochs: 4, callbacks: [EarlyStopping(monitor: "val_loss", minDelta: 10, patience: 1)])
        let messages = LineRecorder()
        try messages.capturingTrainerLog { try fit(kept) }
        XCTAssertEqual(messages.lines.filter { $0.hasPrefix("Trainer was signaled") },
                       ["Trainer was signaled to stop but the required `minEpochs=4` or `minSteps=nil` has not been met. Training will continue...\n"])
        XCTAssertEqual(kept.currentEpoch, 4)
        XCTAssertEqual(kept.globalStep, 28)
    }

    func testFastDevRunRunsTwoBatchesOfOneEpochWithoutLoggersOrCheckpoints() throws {
        let directory = makeTemporaryDirectory()
        let trainer = Trainer(maxEpochs: 5, fastDevRun: 2, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path)
        let model = try fit(trainer)
        XCTAssertEqual(trainer.globalStep, 2)
        XCTAssertEqual(trainer.currentEpoch, 1)
        XCTAssertEqual(count("training_step", in: model.calls), 2)
        XCTAssertEqual(count("validation_step", in: model.calls), 2, "two validation batches, no sanity check")
        XCTAssertTrue(trainer.loggers.isEmpty)
        XCTAssertNil(trainer.checkpointCallback)
        XCTAssertEqual(try directory.contents(), [], "nothing written")
        XCTAssertEqual(try trainer.predict(model, dataloaders: loaders.val).count, 2)
    }

    func testCheckValEveryNEpoch() throws {
        final class Watch: Callback {
            var epochs: [Int] = []
            func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws { epochs.append(trainer.currentEpoch) }
        }
        let watch = Watch()
        let trainer = quiet(maxEpochs: 4, checkValEveryNEpoch: 2, callbacks: [watch])
        try fit(trainer)
        XCTAssertEqual(watch.epochs, [1, 3])
        XCTAssertEqual(trainer.progress.validationRuns, 2)
    }

    func testNumSanityValSteps() throws {
        func sanityBatches(_ steps: Int) throws -> Int {
            let model = try fit(quiet(maxEpochs: 1, numSanityValSteps: steps))
            return count("validation_step", in: Array(model.calls.prefix { !$0.hasPrefix("training_step") }))
        }
        XCTAssertEqual(try sanityBatches(0), 0)
        XCTAssertEqual(try sanityBatches(2), 2)
        XCTAssertEqual(try sanityBatches(-1), 3, "-1: every validation batch")
    }

    func testInvalidArgumentsAreReportedTogether() {
        let trainer = Trainer(maxEpochs: -5, accumulateGradBatches: 0, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        XCTAssertThrowsError(try fit(trainer)) { error in
            XCTAssertEqual("\(error)", "invalid Trainer arguments:\n  - maxEpochs -5 must be >= -1 (-1: no limit)\n  - accumulateGradBatches 0 must be >= 1")
        }
        XCTAssertThrowsError(try fit(quiet(maxTime: -1))) { error in
            XCTAssertEqual("\(error)", "invalid Trainer arguments:\n  - maxTime -1.0 must be a number of seconds >= 0")
        }
    }

    func testCallbacksThatContradictTheirFlagsAreErrors() {
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, defaultRootDir: makeTemporaryDirectory().path,
                              callbacks: [ModelCheckpoint(), ProgressBar()], logger: false)
        XCTAssertThrowsError(try fit(trainer)) { error in
            XCTAssertEqual("\(error)", "invalid Trainer arguments:\n  - enableCheckpointing is false, but the callbacks hold a ModelCheckpoint; remove one of them"
                           + "\n  - enableProgressBar is false, but the callbacks hold a ProgressBar; remove one of them")
        }
    }

    /// With the one-process strategy chosen by the caller, `devices: 2` cannot start a second
    /// process: the count contradicts the world (without a chosen strategy it would re-run the
    /// program under mpirun, see NodeLaunchTests).
    func testDevicesThatContradictTheLauncherAreAnError() {
        let trainer = Trainer(maxEpochs: 1, enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path,
                              logger: false, devices: 2, strategy: SingleDeviceStrategy())
        XCTAssertThrowsError(try fit(trainer)) { error in
            XCTAssertEqual("\(error)", "invalid Trainer arguments:\n  - devices 2 contradicts the launcher, which started 1 process (one per device); "
                           + "leave devices unset, or start the job with mpirun -n 2")
        }
    }
}
