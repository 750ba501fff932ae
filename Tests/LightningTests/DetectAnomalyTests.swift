import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A loss made of `log(relu(·))`: relu gives zeros, `log(0) = -inf`, and log's derivative there
/// (1/0) is the first infinity of the backward pass.
final class LogOfReLU: LightningModule {
    let layer = Linear(4, 3)

    init(manual: Bool = false) {
        super.init()
        automaticOptimization = !manual
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor? {
        let loss = layer(batch.0).relu().log().mean()
        log("train_loss", loss)
        guard !automaticOptimization else { return loss }
        try manualBackward(loss)
        optimizers()[0].step()
        return nil
    }

    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
}

/// `Trainer(detectAnomaly:)`: the first NaN or infinity in a training backward pass ends `fit`
/// with an ``AnomalyError`` naming the operation and its input shapes; off, the run goes on.
/// (Under `mpirun`: `DataParallelTests.testFailingRanksEndTheJobPromptly`, case `anomaly`, launched
/// through `ProbeRun.mpirun` with `--timeout` and a deadline; this file starts no process.)
final class DetectAnomalyTests: XCTestCase {
    lazy var directory = makeTemporaryDirectory()

    func fit(_ model: LogOfReLU, detectAnomaly: Bool) throws -> Trainer {
        let x = Tensor.randn([16, 4], generator: Generator(seed: 3))
        let data = DataLoader(TensorDataset(x, Tensor(labels: Array(repeating: 0, count: 16))), batchSize: 8)
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, logger: false, strategy: SingleDeviceStrategy(), detectAnomaly: detectAnomaly)
        try trainer.fit(model, trainDataloaders: data)
        return trainer
    }

    func testAnomalyEndsFitNamingTheOperationAndItsInputShapes() throws {
        for manual in [false, true] {
            XCTAssertThrowsError(try fit(LogOfReLU(manual: manual), detectAnomaly: true), "manual: \(manual)") { error in
                guard let anomaly = error as? AnomalyError else { return XCTFail("manual: \(manual): \(error)") }
                XCTAssertEqual(anomaly.op, "log")
                XCTAssertEqual(anomaly.inputShapes, [[8, 3]], "the batch's rows × the layer's outputs")
                XCTAssertEqual(anomaly.value, .infinity)
                XCTAssertTrue("\(anomaly)".contains("'log' (inputs [8, 3]) returned inf"), "\(anomaly)")
            }
            XCTAssertFalse(AnomalyMode.isEnabled, "the mode ends with the run")
        }
    }

    /// Off (Lightning's default), the same module trains through both batches with a non-finite loss.
    func testWithoutDetectionTheRunContinues() throws {
        let trainer = try fit(LogOfReLU(), detectAnomaly: false)
        XCTAssertEqual(trainer.globalStep, 2)
        XCTAssertFalse(try XCTUnwrap(trainer.callbackMetrics["train_loss"]).isFinite)
    }
}
