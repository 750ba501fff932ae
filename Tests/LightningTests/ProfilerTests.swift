import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// `Trainer(profiler:)`: the actions and their counts match what the run did, the report lands
/// in the log directory, and under `mpirun` the ranks table names a deliberately slow rank.
final class ProfilerTests: XCTestCase {
    let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 3, logEveryNSteps: 1, sanitySteps: 0)

    func fit(_ model: RecordingClassifier, profiler: SimpleProfiler, directory: TemporaryDirectory) throws -> Trainer {
        let loaders = ScenarioData.loaders(scenario)
        let trainer = Trainer(maxEpochs: scenario.maxEpochs, numSanityValSteps: 0, logEveryNSteps: 1, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, logger: .logger(CSVLogger(saveDir: directory.path)),
                              profiler: .profiler(profiler))
        try trainer.fit(model, trainDataloaders: loaders.train, valDataloaders: loaders.val)
        return trainer
    }

    func testActionCountsMatchTheRun() throws {
        let directory = makeTemporaryDirectory()
        let profiler = SimpleProfiler(printsReport: false)
        let model = RecordingClassifier()
        let trainer = try fit(model, profiler: profiler, directory: directory)
        let actions = Dictionary(uniqueKeysWithValues: profiler.actions().map { ($0.name, $0) })
        let steps = model.calls.filter { $0.hasPrefix("training_step(") }.count
        let validationSteps = model.calls.filter { $0.hasPrefix("validation_step(") }.count
        let epochs = trainer.currentEpoch
        XCTAssertEqual(actions["[Strategy]SingleDeviceStrategy.training_step"]?.count, steps)
        XCTAssertEqual(actions["[Strategy]SingleDeviceStrategy.validation_step"]?.count, validationSteps)
        XCTAssertEqual(actions["run_training_batch"]?.count, steps)
        XCTAssertEqual(actions["[_TrainingEpochLoop].train_dataloader_next"]?.count, steps)
        XCTAssertEqual(actions["[Strategy]SingleDeviceStrategy.backward"]?.count, steps)
        XCTAssertEqual(actions["[Strategy]SingleDeviceStrategy.reduce_gradients"]?.count, trainer.globalStep)
        XCTAssertEqual(actions["[LightningModule]RecordingClassifier.optimizer_step"]?.count, trainer.globalStep)
        XCTAssertEqual(actions["run_training_epoch"]?.count, epochs)
        XCTAssertEqual(actions["[Callback]ModelCheckpoint.on_train_epoch_end"]?.count, epochs)
        XCTAssertEqual(actions["[LightningModule]RecordingClassifier.on_train_epoch_start"]?.count, epochs)
        XCTAssertEqual(actions["[LightningModule]RecordingClassifier.on_train_batch_start"]?.count, steps)
        XCTAssertGreaterThan(actions["[Trainer].save_checkpoint"]?.count ?? 0, 0)
        XCTAssertGreaterThan(actions["[_LoggerConnector].reduce_epoch_metrics"]?.count ?? 0, 0)
        XCTAssertEqual(profiler.actions().count, actions.count)
        for action in profiler.actions() { XCTAssertGreaterThanOrEqual(action.total, 0, action.name) }

        let report = try String(contentsOfFile: "\(trainer.logDir)/profile.txt", encoding: .utf8)
        XCTAssertTrue(report.hasPrefix("FIT Profiler Report"), report)
        for name in ["Total", "run_training_batch", "[Callback]ModelCheckpoint.on_train_epoch_end", "Percentage %"] {
            XCTAssertTrue(report.contains(name), "\(name) missing from\n\(report)")
        }
        let stepRow = report.split(separator: "\n").first { $0.contains("[Strategy]SingleDeviceStrategy.training_step ") }
        let cells = stepRow.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        XCTAssertEqual(cells.count >= 3 ? Int(cells[2]) : nil, steps, "\(stepRow ?? "no training_step row")")
    }

    /// Each stage starts a new report; stages other than fit write `<stage>-profile.txt`.
    func testValidateWritesItsOwnReport() throws {
        let directory = makeTemporaryDirectory()
        let profiler = SimpleProfiler(printsReport: false)
        let model = RecordingClassifier()
        let trainer = Trainer(enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              logger: .logger(CSVLogger(saveDir: directory.path)), profiler: .profiler(profiler))
        _ = try trainer.validate(model, dataloaders: ScenarioData.loaders(scenario).val, verbose: false)
        let steps = model.calls.filter { $0.hasPrefix("validation_step(") }.count
        let actions = Dictionary(uniqueKeysWithValues: profiler.actions().map { ($0.name, $0.count) })
        XCTAssertEqual(actions["[Strategy]SingleDeviceStrategy.validation_step"], steps)
        XCTAssertEqual(actions["[_EvaluationLoop].val_next"], steps)
        XCTAssertNil(actions["run_training_batch"])
        let report = try String(contentsOfFile: "\(trainer.logDir)/validate-profile.txt", encoding: .utf8)
        XCTAssertTrue(report.hasPrefix("VALIDATE Profiler Report"), report)
    }

    func testNoProfilerWritesNoReportAndAnUnknownNameIsRefused() throws {
        let directory = makeTemporaryDirectory()
        let loaders = ScenarioData.loaders(scenario)
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, logger: .logger(CSVLogger(saveDir: directory.path)))
        try trainer.fit(RecordingClassifier(), trainDataloaders: loaders.train)
        XCTAssertNil(trainer.profiler)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(trainer.logDir)/profile.txt"))

        XCTAssertTrue(Trainer(profiler: "simple").profiler is SimpleProfiler)
        let bad = Trainer(enableProgressBar: false, logger: false, profiler: "advancedd")
        XCTAssertThrowsError(try bad.fit(RecordingClassifier(), trainDataloaders: loaders.train)) { error in
            XCTAssertTrue("\(error)".contains("profiler 'advancedd'"), "\(error)")
        }
    }

    /// Under `mpirun -n 2`, one rank sleeps in every training step: the ranks table names it slowest
    /// at the training step, and the other, which waits for it, slowest in the averaging's barriers.
    func testRanksTableNamesTheSlowRank() throws {
        try assertRanksTableNames(slow: 1)
        try assertRanksTableNames(slow: 0)
    }

    func assertRanksTableNames(slow: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let directory = makeTemporaryDirectory()
        let run = try ProbeRun.mpirun(ranks: 2, ["fit", "--steps", "6", "--profiler", "simple", "--slow-rank", "\(slow)",
                                                 "--out", "\(directory.path)/w.safetensors", "--root", directory.path],
                                      limit: 60, executable: "lightning-ddp-probe")
        XCTAssertEqual(run.status, 0, run.output, file: file, line: line)
        let report = try String(contentsOfFile: "\(directory.path)/profile.txt", encoding: .utf8)
        let ranks = try XCTUnwrap(report.components(separatedBy: "Ranks:").last)
        func slowest(_ action: String) -> Int? {
            let row = ranks.split(separator: "\n").first { $0.contains("| \(action) ") || $0.contains("|  \(action) ") }
            let cells = row.map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
            return cells.count >= 4 ? Int(cells[3]) : nil
        }
        XCTAssertEqual(slowest("[Strategy]DataParallelStrategy.training_step"), slow, report, file: file, line: line)
        XCTAssertEqual(slowest("[Strategy]DataParallelStrategy.reduce_gradients.wait_for_ranks"), 1 - slow, report, file: file, line: line)
    }
}
