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
        try skipUnlessPython(modules: ["tensorboard"])
        let run = try runPython(script, [logDir])
        XCTAssertTrue(run.succeeded, run.stderr)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["train_loss_step 14 13", "train_loss_epoch 2 13", "val_loss 2 13", "val_acc 2 13"])
    }
}
