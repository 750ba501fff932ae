import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `maxSteps` that ends training before (or between) validations, with a callback monitoring a
/// validation metric: the fixture's `max_steps_*` scenarios, with expectations derived from the
/// loaders' sizes and checked at other sizes too.
final class MaxStepsMonitorTests: XCTestCase {
    /// The rule the scenarios follow, from the sizes: `batches` training batches per epoch,
    /// `maxSteps` steps, validation at every epoch end. Returns the complete epochs (each
    /// validated), the epoch in progress at the stop and the checkpoint names of
    /// `ModelCheckpoint(monitor: "val_loss", saveTopK: k, saveLast:)` (all kept while there are
    /// at most k epoch-end saves, which holds for the sizes used here).
    func expected(batches: Int, maxSteps: Int, saveLast: Bool) -> (validations: Int, epoch: Int, checkpoints: [String]) {
        let complete = maxSteps / batches
        // An epoch that maxSteps cuts short still ends (on_train_epoch_end runs), and counts.
        let epoch = (maxSteps + batches - 1) / batches
        // No save is possible before val_loss exists; afterwards every epoch end saves, the cut
        // one with the last known val_loss.
        var names = (0..<complete).map { "epoch=\($0)-step=\(($0 + 1) * batches).ckpt" }
        if complete > 0 && maxSteps % batches != 0 { names.append("epoch=\(complete)-step=\(maxSteps).ckpt") }
        // last.ckpt does not depend on the monitored key: every epoch-end save writes it.
        if saveLast && epoch > 0 { names.append("last.ckpt") }
        return (complete, epoch, names.sorted())
    }

    func run(train: (samples: Int, batch: Int), val: (samples: Int, batch: Int), maxSteps: Int, saveTopK: Int, saveLast: Bool)
        throws -> (trainer: Trainer, checkpoints: [String]) {
        seedEverything(3)
        let directory = makeTemporaryDirectory()
        let checkpoint = ModelCheckpoint(monitor: "val_loss", saveTopK: saveTopK, saveLast: saveLast)
        let trainer = Trainer(maxSteps: maxSteps, numSanityValSteps: 0, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, callbacks: [checkpoint], logger: .logger(CSVLogger(saveDir: directory.path)))
        try trainer.fit(RecordingClassifier(), trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch),
                        valDataloaders: DataLoader(ScenarioData.dataset(count: val.samples, seed: 2), batchSize: val.batch))
        let logDir = try XCTUnwrap(trainer.logger?.logDir)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(logDir)/checkpoints")) ?? []
        return (trainer, files.sorted())
    }

    func testMaxStepsBeforeTheFirstValidationWarnsAndFinishes() throws {
        let fixture = try ParityFixture.load()
        let scenario = fixture.max_steps_before_validation
        let train = try fixture.size("train"), val = try fixture.size("val0")
        let batches = (train.samples + train.batch - 1) / train.batch
        XCTAssertLessThan(scenario.max_steps, batches, "the scenario stops inside the first epoch")
        let rule = expected(batches: batches, maxSteps: scenario.max_steps, saveLast: false)
        XCTAssertEqual(rule.checkpoints, scenario.checkpoints)
        XCTAssertEqual(rule.epoch, scenario.current_epoch)

        let (trainer, checkpoints) = try run(train: train, val: val, maxSteps: scenario.max_steps, saveTopK: 1, saveLast: false)
        XCTAssertTrue(scenario.finished)
        XCTAssertEqual(trainer.globalStep, scenario.global_step)
        XCTAssertEqual(trainer.currentEpoch, scenario.current_epoch)
        XCTAssertEqual(checkpoints, scenario.checkpoints)
        XCTAssertEqual(trainer.callbackMetrics.keys.sorted(), scenario.callback_metrics_keys)
    }

    func testMaxStepsMidEpochSavesWithTheLastKnownValue() throws {
        let fixture = try ParityFixture.load()
        let scenario = fixture.max_steps_mid_epoch
        let train = try fixture.size("train"), val = try fixture.size("val0")
        let batches = (train.samples + train.batch - 1) / train.batch
        let rule = expected(batches: batches, maxSteps: scenario.max_steps, saveLast: true)
        XCTAssertEqual(rule.checkpoints, scenario.checkpoints.sorted())
        XCTAssertEqual(rule.validations, scenario.validation_runs)
        XCTAssertEqual(rule.epoch, scenario.current_epoch)

        let (trainer, checkpoints) = try run(train: train, val: val, maxSteps: scenario.max_steps, saveTopK: 2, saveLast: true)
        XCTAssertEqual(trainer.globalStep, scenario.global_step)
        XCTAssertEqual(trainer.currentEpoch, scenario.current_epoch)
        XCTAssertEqual(trainer.progress.validationRuns, scenario.validation_runs)
        XCTAssertEqual(checkpoints, scenario.checkpoints.sorted())
    }

    /// The same rules at other sizes: a stop inside the first epoch, on an epoch boundary, and
    /// inside a later epoch.
    func testTheRulesHoldAtOtherSizes() throws {
        for (train, maxSteps) in [((samples: 30, batch: 4), 5), ((samples: 30, batch: 4), 16), ((samples: 20, batch: 5), 11)] {
            let batches = (train.samples + train.batch - 1) / train.batch
            let rule = expected(batches: batches, maxSteps: maxSteps, saveLast: true)
            let (trainer, checkpoints) = try run(train: train, val: (samples: 7, batch: 3), maxSteps: maxSteps, saveTopK: -1, saveLast: true)
            XCTAssertEqual(trainer.globalStep, maxSteps)
            XCTAssertEqual(trainer.currentEpoch, rule.epoch, "\(train) maxSteps \(maxSteps)")
            XCTAssertEqual(trainer.progress.validationRuns, rule.validations, "\(train) maxSteps \(maxSteps)")
            XCTAssertEqual(checkpoints, rule.checkpoints, "\(train) maxSteps \(maxSteps)")
        }
    }

    /// Once validation has run, a monitored key that was never logged is an error naming it.
    func testAMissingKeyAfterValidationRanIsAnError() throws {
        seedEverything(3)
        let directory = makeTemporaryDirectory()
        let trainer = Trainer(maxEpochs: 2, numSanityValSteps: 0, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, callbacks: [ModelCheckpoint(monitor: "val_f1")], logger: false)
        XCTAssertThrowsError(try trainer.fit(RecordingClassifier(), trainDataloaders: DataLoader(ScenarioData.dataset(count: 8, seed: 1), batchSize: 4),
                                             valDataloaders: DataLoader(ScenarioData.dataset(count: 4, seed: 2), batchSize: 4))) { error in
            XCTAssertTrue("\(error)".contains("'val_f1'"), "\(error)")
            XCTAssertTrue("\(error)".contains("val_loss"), "names the available metrics: \(error)")
        }
    }

    /// EarlyStopping(strict:) and a strict ReduceLROnPlateau follow the same rule.
    func testEarlyStoppingAndPlateauWaitForTheFirstValidation() throws {
        let train = (samples: 24, batch: 4)
        seedEverything(3)
        let directory = makeTemporaryDirectory()
        let model = RecordingClassifier()
        model.scheduler = { LRSchedulerConfig(ReduceLROnPlateau($0), interval: .step, monitor: "val_loss") }
        let trainer = Trainer(maxSteps: 3, numSanityValSteps: 0, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, callbacks: [EarlyStopping(monitor: "val_loss", strict: true)], logger: false)
        XCTAssertNoThrow(try trainer.fit(model, trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch),
                                         valDataloaders: DataLoader(ScenarioData.dataset(count: 4, seed: 2), batchSize: 4)))
        XCTAssertEqual(trainer.globalStep, 3)
    }
}
