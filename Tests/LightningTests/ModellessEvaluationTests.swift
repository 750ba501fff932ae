import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// `validate`, `test` and `predict` without a module after `fit` (the fixture's `modelless_*`):
/// the fitted module runs with its best checkpoint restored, or with its current weights when
/// the fit had no checkpoint callback.
final class ModellessEvaluationTests: XCTestCase {
    /// Linear(4, 3) logging `val_loss` and `test_loss` only, as the fixture's module; predict
    /// gives the logits (the default predictStep).
    final class Classifier: LightningModule {
        let net = Linear(4, 3)
        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            crossEntropy(logits: net(batch.0), targets: batch.1)
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
            log("val_loss", crossEntropy(logits: net(batch.0), targets: batch.1))
        }
        func testStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
            log("test_loss", crossEntropy(logits: net(batch.0), targets: batch.1))
        }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }

        /// Every parameter set to zero, so logits are 0 and the loss is ln 3.
        func zeroWeights() {
            for parameter in parameters() { parameter.value.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        }
        var weights: [[Float]] { parameters().map(\.value.scalars) }
    }

    /// The fixture's scenario: 3 epochs over `train`, validation on `val0`.
    let epochs = 3

    func fitted(checkpointing: Bool) throws -> (trainer: Trainer, module: Classifier, val: DataLoader<(Tensor, Tensor)>) {
        let fixture = try ParityFixture.load()
        let train = try fixture.size("train"), val = try fixture.size("val0")
        seedEverything(5)
        let module = Classifier()
        let trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, enableCheckpointing: checkpointing, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        let valLoader = DataLoader(ScenarioData.dataset(count: val.samples, seed: 2), batchSize: val.batch)
        try trainer.fit(module, trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch),
                        valDataloaders: valLoader)
        return (trainer, module, valLoader)
    }

    func testPredictRestoresTheBestCheckpoint() throws {
        let fixture = try ParityFixture.load()
        let train = try fixture.size("train"), val = try fixture.size("val0")
        // ModelCheckpoint without a monitor keeps the last epoch's save.
        let best = "epoch=\(epochs - 1)-step=\(epochs * ((train.samples + train.batch - 1) / train.batch)).ckpt"
        XCTAssertEqual(best, fixture.modelless_predict.best)
        XCTAssertEqual(fixture.modelless_predict.restored, best)

        let (trainer, module, valLoader) = try fitted(checkpointing: true)
        XCTAssertEqual(((trainer.checkpointCallback?.bestModelPath ?? "") as NSString).lastPathComponent, best)
        let saved = module.weights
        module.zeroWeights()
        let recorder = LineRecorder()
        let outputs = try recorder.capturingTrainerLog { try trainer.predict(dataloaders: valLoader) }
        XCTAssertEqual(outputs.count, (val.samples + val.batch - 1) / val.batch)
        XCTAssertEqual(outputs.count, fixture.modelless_predict.batches)
        XCTAssertEqual(outputs.map { $0.shape[0] }.reduce(0, +), val.samples)
        XCTAssertEqual(module.weights, saved, "the checkpoint's weights are back")
        XCTAssertTrue(recorder.lines.contains { $0.contains("best checkpoint") && $0.contains(fixture.modelless_predict.restored) },
                      "\(recorder.lines)")
    }

    func testValidateAndTestRestoreTheBestCheckpoint() throws {
        let fixture = try ParityFixture.load()
        let (trainer, module, valLoader) = try fitted(checkpointing: true)
        let fittedLoss = try XCTUnwrap(trainer.callbackMetrics["val_loss"])
        module.zeroWeights()
        let recorder = LineRecorder()
        let results = try recorder.capturingTrainerLog { try trainer.validate(dataloaders: valLoader, verbose: false) }
        XCTAssertEqual(results.count, 1)
        XCTAssertEqual(results[0].keys.sorted(), fixture.modelless_validate.keys)
        XCTAssertEqual(try XCTUnwrap(results[0]["val_loss"]), fittedLoss, accuracy: 1e-6, "the last epoch's weights, which its checkpoint holds")
        XCTAssertTrue(recorder.lines.contains { $0.contains(fixture.modelless_validate.restored) }, "\(recorder.lines)")

        module.zeroWeights()
        let tested = try trainer.test(dataloaders: valLoader, verbose: false)
        XCTAssertEqual(try XCTUnwrap(tested[0]["test_loss"]), fittedLoss, accuracy: 1e-6)
    }

    /// Without a checkpoint callback the current weights are used: zero weights give ln 3.
    func testWithoutACheckpointCallbackTheCurrentWeightsAreUsed() throws {
        let (trainer, module, valLoader) = try fitted(checkpointing: false)
        XCTAssertNil(trainer.checkpointCallback)
        module.zeroWeights()
        let recorder = LineRecorder()
        let results = try recorder.capturingTrainerLog { try trainer.validate(dataloaders: valLoader, verbose: false) }
        XCTAssertEqual(try XCTUnwrap(results[0]["val_loss"]), log(3.0), accuracy: 1e-6)
        XCTAssertTrue(recorder.lines.contains { $0.contains("current weights") }, "\(recorder.lines)")
        let outputs = try trainer.predict(dataloaders: valLoader)
        XCTAssertTrue(outputs.allSatisfy { $0.scalars.allSatisfy { $0 == 0 } })
    }

    func testWithoutAFitItIsAnError() throws {
        let trainer = Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        let loader = DataLoader(ScenarioData.dataset(count: 4, seed: 2), batchSize: 2)
        XCTAssertThrowsError(try trainer.predict(dataloaders: loader)) { error in
            XCTAssertTrue("\(error)".contains("has not run fit"), "\(error)")
        }
        XCTAssertThrowsError(try trainer.validate(dataloaders: loader)) { error in
            XCTAssertTrue("\(error)".contains("validate was called without a module"), "\(error)")
        }
    }

    /// Under `mpirun -n 2` the model-less predict gathers every output on rank 0 in dataset order.
    func testModellessPredictUnderMPIGathersInDatasetOrder() throws {
        let result = try ProbeRun.mpirun(ranks: 2, ["modelless-predict", "--root", makeTemporaryDirectory().path, "--val", "11", "--batch", "4"],
                                         limit: 60, executable: "lightning-ddp-probe")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("model-less predict ok: 3 batches"), result.output)
    }
}
