import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// The scenarios of `lightning_semantics.json`, run with the fixture's sizes and arguments, and
/// the same rules checked at other sizes.
final class LightningSemanticsTests: XCTestCase {
    var fixture: SemanticsFixture!

    override func setUpWithError() throws {
        fixture = try SemanticsFixture.load()
    }

    /// Runs the fit scenario in `directory`; returns the module, trainer and validation losses per epoch.
    func runFitScenario(_ scenario: FitScenario, in directory: TemporaryDirectory, lr: Double = 0.1) throws -> (RecordingClassifier, Trainer, [Double]) {
        seedEverything(7)
        let model = RecordingClassifier(lr: lr)
        let (train, val) = ScenarioData.loaders(scenario)
        let recorder = MetricRecorder(key: "val_loss")
        let trainer = Trainer(maxEpochs: scenario.maxEpochs, numSanityValSteps: scenario.sanitySteps, logEveryNSteps: scenario.logEveryNSteps,
                              enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [recorder, ModelCheckpoint(monitor: "val_loss", saveTopK: 2, saveLast: true)],
                              logger: .logger(CSVLogger(saveDir: directory.path)))
        try trainer.fit(model, trainDataloaders: train, valDataloaders: val)
        return (model, trainer, recorder.values)
    }

    func testFitScenarioMatchesLightning() throws {
        let scenario = try FitScenario(fixture.fit_scenario)
        // The batch counts follow from the scenario's sizes; Lightning's hook record agrees.
        XCTAssertEqual(fixture.fit_hook_order.filter { $0.hasPrefix("training_step") }.count, scenario.trainBatches * scenario.maxEpochs)
        XCTAssertEqual(fixture.fit_hook_order.filter { $0.hasPrefix("validation_step") }.count,
                       min(scenario.sanitySteps, scenario.valBatches) + scenario.valBatches * scenario.maxEpochs)
        // The checkpoint rule, applied to the val_loss values Lightning recorded, gives Lightning's files.
        let lightningLosses = fixture.metrics_csv_rows.compactMap { $0["val_loss"].flatMap(Double.init) }
        XCTAssertEqual(expectedCheckpoints(scenario, valLosses: lightningLosses, topK: 2).files, fixture.checkpoint_files)
        XCTAssertEqual(expectedCheckpoints(scenario, valLosses: lightningLosses, topK: 2).best, fixture.best_model_path_name)

        let directory = makeTemporaryDirectory()
        let (model, trainer, valLosses) = try runFitScenario(scenario, in: directory)

        XCTAssertEqual(model.recorded(in: fixture.hookVocabulary), expectedFitHooks(scenario, valLosses: valLosses, topK: 2))
        XCTAssertEqual(trainer.callbackMetrics.keys.sorted(), fixture.callback_metrics_keys)
        XCTAssertEqual(trainer.loggedMetrics.keys.sorted(), fixture.logged_metrics_keys)
        XCTAssertEqual(trainer.progressBarMetrics.keys.sorted(), fixture.progress_bar_metrics_keys)

        let logDir = try XCTUnwrap(trainer.logger?.logDir)
        XCTAssertEqual(logDir, "\(directory.path)/lightning_logs/version_0")
        // metrics.svg (the curves as a picture) is this package's addition; Lightning writes the rest.
        XCTAssertEqual(try regularFiles(in: logDir).filter { $0 != "metrics.svg" }, fixture.log_dir_files)
        XCTAssertTrue(try regularFiles(in: logDir).contains("metrics.svg"))
        // Which epochs are kept and which is best follow from this run's own losses.
        let expected = expectedCheckpoints(scenario, valLosses: valLosses, topK: 2)
        XCTAssertEqual(try regularFiles(in: "\(logDir)/checkpoints"), expected.files)
        let checkpoint = try XCTUnwrap(trainer.checkpointCallback)
        XCTAssertEqual((checkpoint.bestModelPath as NSString).lastPathComponent, expected.best)
        XCTAssertEqual(try String(contentsOfFile: "\(logDir)/hparams.yaml", encoding: .utf8), fixture.hparams_yaml)

        let csv = try CSVRows(path: "\(logDir)/metrics.csv")
        XCTAssertEqual(csv.header, fixture.metrics_csv_header)
        XCTAssertEqual(csv.shapes, CSVRows.shapes(of: fixture.metrics_csv_rows))
        XCTAssertEqual(csv.shapes, expectedFitRows(scenario))

        let last = try CheckpointIO.read(path: "\(logDir)/checkpoints/last.ckpt")
        let expectedKeys = Set(fixture.checkpoint_keys.map { $0 == "pytorch-lightning_version" ? "swift-lightning_version" : $0 }).subtracting(["state_dict"])
        XCTAssertTrue(expectedKeys.isSubset(of: Set(last.metadata.keys)), "missing: \(expectedKeys.subtracting(last.metadata.keys))")
        XCTAssertEqual([last.epoch, last.globalStep], fixture.checkpoint_epoch_global_step.map { $0 })
        XCTAssertEqual(last.stateDict.keys.sorted(), fixture.checkpoint_state_dict_keys)
        guard case .object(let loops)? = last.metadata["loops"], case .object(let callbacks)? = last.metadata["callbacks"] else {
            return XCTFail("loops or callbacks missing")
        }
        XCTAssertEqual(loops.keys.sorted(), fixture.checkpoint_loops_keys)
        XCTAssertEqual(callbacks.keys.sorted(), fixture.checkpoint_callbacks_keys)
        XCTAssertEqual(last.hyperparameters, ["hidden": 8, "lr": 0.1])
    }

    /// The same rules at sizes the fixture does not have: hook order and CSV rows follow.
    func testFitScenarioRulesHoldAtOtherSizes() throws {
        let scenario = FitScenario(trainCount: 30, trainBatch: 4, valCount: 7, valBatch: 3, maxEpochs: 2, logEveryNSteps: 2, sanitySteps: 1)
        let directory = makeTemporaryDirectory()
        let (model, trainer, valLosses) = try runFitScenario(scenario, in: directory)
        XCTAssertEqual(model.recorded(in: fixture.hookVocabulary), expectedFitHooks(scenario, valLosses: valLosses, topK: 2))
        let csv = try CSVRows(path: "\(trainer.logger!.logDir!)/metrics.csv")
        XCTAssertEqual(csv.shapes, expectedFitRows(scenario))
        XCTAssertEqual(try regularFiles(in: "\(trainer.logger!.logDir!)/checkpoints"), expectedCheckpoints(scenario, valLosses: valLosses, topK: 2).files)
    }

    /// With a learning rate far too large, val_loss does not fall every epoch: the kept and best
    /// checkpoints still follow the losses the run recorded.
    func testCheckpointsFollowTheRecordedLossesWhenValidationLossRises() throws {
        let scenario = FitScenario(trainCount: 24, trainBatch: 4, valCount: 9, valBatch: 3, maxEpochs: 4, logEveryNSteps: 3, sanitySteps: 0)
        let directory = makeTemporaryDirectory()
        let (model, trainer, valLosses) = try runFitScenario(scenario, in: directory, lr: 8)
        XCTAssertEqual(valLosses.count, scenario.maxEpochs)
        XCTAssertNotEqual(valLosses, valLosses.sorted(by: >), "the scenario should make val_loss rise at least once: \(valLosses)")
        XCTAssertEqual(model.recorded(in: fixture.hookVocabulary), expectedFitHooks(scenario, valLosses: valLosses, topK: 2))
        let expected = expectedCheckpoints(scenario, valLosses: valLosses, topK: 2)
        XCTAssertEqual(try regularFiles(in: "\(trainer.logger!.logDir!)/checkpoints"), expected.files, "val_loss by epoch: \(valLosses)")
        XCTAssertEqual((try XCTUnwrap(trainer.checkpointCallback).bestModelPath as NSString).lastPathComponent, expected.best)
    }

    func testValidateTestAndPredictMatchLightning() throws {
        let scenario = try FitScenario(fixture.fit_scenario)
        let directory = makeTemporaryDirectory()
        let (_, val) = ScenarioData.loaders(scenario)
        let model = RecordingClassifier()
        let trainer = Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path, logger: false)
        let validated = try trainer.validate(model, dataloaders: val, verbose: false)
        XCTAssertEqual(validated.map { $0.keys.sorted() }, fixture.validate_return)
        XCTAssertEqual(model.recorded(in: fixture.hookVocabulary), fixture.validate_hook_order)

        model.calls = []
        let tested = try trainer.test(model, dataloaders: val, verbose: false)
        XCTAssertEqual(tested.map { $0.keys.sorted() }, fixture.test_return)
        let predictions = try trainer.predict(model, dataloaders: val)
        XCTAssertEqual(predictions.map(\.shape), fixture.predict_return_shape)
        XCTAssertEqual(model.recorded(in: fixture.hookVocabulary), fixture.predict_hook_order)
    }

    func testEarlyStoppingScenario() throws {
        let scenario = try FitScenario(fixture.fit_scenario)
        XCTAssertTrue(fixture.early_stopping.scenario.contains("patience=1, min_delta=10.0"))
        let directory = makeTemporaryDirectory()
        let (train, val) = ScenarioData.loaders(scenario)
        let stopper = EarlyStopping(monitor: "val_loss", minDelta: 10, patience: 1)
        let trainer = Trainer(maxEpochs: 10, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [stopper], logger: false)
        try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val)
        XCTAssertEqual(stopper.stoppedEpoch, fixture.early_stopping.stopped_epoch)
        XCTAssertEqual(trainer.currentEpoch, fixture.early_stopping.current_epoch)
        XCTAssertEqual(trainer.globalStep, fixture.early_stopping.global_step)
    }

    func testAccumulationScenario() throws {
        let scenario = try FitScenario(fixture.fit_scenario)
        let text = fixture.accumulate_scenario.scenario
        let maxEpochs = try XCTUnwrap(SemanticsFixture.number(after: "max_epochs=", in: text))
        let limit = try XCTUnwrap(SemanticsFixture.number(after: "limit_train_batches=", in: text))
        let interval = try XCTUnwrap(SemanticsFixture.number(after: "val_check_interval=", in: text))
        let accumulate = try XCTUnwrap(SemanticsFixture.number(after: "accumulate_grad_batches=", in: text))
        let logEvery = try XCTUnwrap(SemanticsFixture.number(after: "log_every_n_steps=", in: text))
        let directory = makeTemporaryDirectory()
        let (train, val) = ScenarioData.loaders(scenario)
        let model = RecordingClassifier()
        let trainer = Trainer(maxEpochs: maxEpochs, limitTrainBatches: .count(limit), valCheckInterval: .count(interval),
                              logEveryNSteps: logEvery, accumulateGradBatches: accumulate, enableCheckpointing: false,
                              enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              logger: .logger(CSVLogger(saveDir: directory.path)))
        try trainer.fit(model, trainDataloaders: train, valDataloaders: val)
        XCTAssertEqual(trainer.globalStep, fixture.accumulate_scenario.global_step)
        XCTAssertEqual(trainer.progress.validationRuns, fixture.accumulate_scenario.validation_runs)
        XCTAssertEqual(model.calls.filter { $0 == "on_before_optimizer_step" }.count, fixture.accumulate_scenario.optimizer_steps_hooks)
        let csv = try CSVRows(path: "\(trainer.logger!.logDir!)/metrics.csv")
        XCTAssertEqual(csv.shapes, CSVRows.shapes(of: fixture.accumulate_scenario.metrics_csv_rows))
    }

    // MARK: - Lightning's rules, for sizes the fixture lacks

    private func validationRun(_ batches: Int) -> [String] {
        ["on_validation_start", "on_validation_epoch_start"]
            + (0..<batches).flatMap { ["on_validation_batch_start", "validation_step(\($0))", "on_validation_batch_end"] }
            + ["on_validation_epoch_end", "on_validation_end"]
    }

    /// Fit's hook order with validation at each epoch end and ModelCheckpoint(saveTopK: k, saveLast: true).
    private func expectedFitHooks(_ s: FitScenario, valLosses: [Double], topK: Int) -> [String] {
        var order = ["setup", "configure_optimizers", "on_fit_start"]
        let sanity = min(s.sanitySteps, s.valBatches)
        if sanity > 0 { order += validationRun(sanity) }
        order.append("on_train_start")
        var kept: [Double] = []
        for epoch in 0..<s.maxEpochs {
            order.append("on_train_epoch_start")
            for b in 0..<s.trainBatches {
                order += ["on_train_batch_start", "training_step(\(b))", "on_before_zero_grad", "on_before_backward",
                          "on_after_backward", "on_before_optimizer_step", "on_train_batch_end"]
            }
            order += validationRun(s.valBatches)
            order.append("on_train_epoch_end")
            let loss = valLosses[epoch]
            if kept.count < topK || loss < kept.max()! {
                order.append("on_save_checkpoint")
                kept.append(loss)
                kept.sort()
                kept = Array(kept.prefix(topK))
            }
            order.append("on_save_checkpoint")  // last.ckpt
        }
        return order + ["on_train_end", "on_fit_end", "teardown"]
    }

    /// `ModelCheckpoint(monitor: "val_loss", saveTopK: topK, saveLast: true)` saving at every
    /// epoch's end: the `topK` epochs with the lowest loss (the earlier one on a tie), `last.ckpt`,
    /// and the best file's name.
    private func expectedCheckpoints(_ s: FitScenario, valLosses: [Double], topK: Int) -> (files: [String], best: String) {
        let name = { (epoch: Int) in "epoch=\(epoch)-step=\((epoch + 1) * s.trainBatches).ckpt" }
        let ranked = valLosses.indices.sorted { (valLosses[$0], $0) < (valLosses[$1], $1) }
        return ((ranked.prefix(topK).map(name) + ["last.ckpt"]).sorted(), name(ranked[0]))
    }

    /// Fit's CSV rows: step rows every `logEveryNSteps`, a validation row and an epoch row at each epoch's last step.
    private func expectedFitRows(_ s: FitScenario) -> [CSVRows.Shape] {
        var rows: [CSVRows.Shape] = []
        var step = 0
        for epoch in 0..<s.maxEpochs {
            for b in 0..<s.trainBatches {
                if (step + 1) % s.logEveryNSteps == 0 { rows.append(.init(epoch: epoch, step: step, keys: ["train_loss_step"])) }
                if b == s.trainBatches - 1 { rows.append(.init(epoch: epoch, step: step, keys: ["val_acc", "val_loss"])) }
                step += 1
            }
            rows.append(.init(epoch: epoch, step: step - 1, keys: ["train_loss_epoch"]))
        }
        return rows
    }

    private func regularFiles(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(directory)/\(name)", isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }
}

/// Records a callback metric at the end of every validation run.
final class MetricRecorder: Callback {
    let key: String
    var values: [Double] = []
    init(key: String) { self.key = key }
    func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws {
        if !trainer.sanityChecking, let value = trainer.callbackMetrics[key] { values.append(value) }
    }
}

/// A `metrics.csv` read back: its header and each row's epoch, step and filled metric columns.
struct CSVRows {
    struct Shape: Equatable, CustomStringConvertible {
        var epoch: Int
        var step: Int
        var keys: [String]
        var description: String { "(\(epoch), \(step), \(keys))" }
    }

    let header: [String]
    let rows: [[String: String]]

    init(path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let columns = lines.first.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } ?? []
        header = columns
        rows = lines.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (key, cell) in zip(columns, cells) where !cell.isEmpty { row[key] = cell }
            return row
        }
    }

    var shapes: [Shape] { Self.shapes(of: rows) }

    static func shapes(of rows: [[String: String]]) -> [Shape] {
        rows.map { row in
            Shape(epoch: Int(row["epoch"] ?? "") ?? -1, step: Int(row["step"] ?? "") ?? -1,
                  keys: row.keys.filter { $0 != "epoch" && $0 != "step" }.sorted())
        }
    }
}
