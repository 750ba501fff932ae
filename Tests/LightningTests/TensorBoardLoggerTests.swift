import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A fit logged with TensorBoardLogger: TensorBoard's own reader finds the scalars.
final class TensorBoardLoggerTests: XCTestCase {
    func testTensorBoardReadsTheScalarsOfAFit() throws {
        let directory = makeTemporaryDirectory()
        let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 12, valBatch: 5, maxEpochs: 2, logEveryNSteps: 1, sanitySteps: 0)
        let (train, val) = ScenarioData.loaders(scenario)
        let logger = TensorBoardLogger(saveDir: directory.path)
        let trainer = Trainer(maxEpochs: 2, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, logger: .logger(logger))
        try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val)
        let logDir = try XCTUnwrap(logger.logDir)
        XCTAssertEqual(try String(contentsOfFile: "\(logDir)/hparams.yaml", encoding: .utf8), "hidden: 8\nlr: 0.1\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: logDir).filter { $0.hasPrefix("events.out.tfevents.") }
        XCTAssertEqual(files.count, 1)

        let script = """
        import sys
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        acc = EventAccumulator(sys.argv[1]); acc.Reload()
        for tag in ("train_loss_step", "train_loss_epoch", "val_loss", "val_acc"):
            print(tag, len(acc.Scalars(tag)), acc.Scalars(tag)[-1].step)
        """
        guard let output = try runPython(script, arguments: [logDir]) else {
            throw XCTSkip("python3 with tensorboard is not available (pip install tensorboard); skipping TensorBoard's own reader")
        }
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["train_loss_step 14 13", "train_loss_epoch 2 13", "val_loss 2 13", "val_acc 2 13"])
    }

    /// Runs `script` with python3; `nil` when python3 or tensorboard is missing.
    private func runPython(_ script: String, arguments: [String]) throws -> String? {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import tensorboard"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        do { try probe.run() } catch { return nil }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return String(decoding: data, as: UTF8.self)
    }
}
