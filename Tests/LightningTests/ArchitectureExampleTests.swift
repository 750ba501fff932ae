import Foundation
import Lightning
import LightningTestSupport
import XCTest

// The example of ARCHITECTURE.md, verbatim: it must compile as written (no `super.init()`,
// `Batch` inferred from `trainingStep`).
final class DigitsClassifier: LightningModule {
    let net = Sequential(Linear(64, 128), ReLU(), Linear(128, 10))
    let learningRate: Float
    init(learningRate: Float = 1e-3) { self.learningRate = learningRate }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        let (x, y) = batch
        let loss = crossEntropy(logits: net(x), targets: y)
        log("train_loss", loss, onStep: true, onEpoch: true, progressBar: true)
        return loss
    }
    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        let (x, y) = batch
        let logits = net(x)
        log("val_loss", crossEntropy(logits: logits, targets: y), progressBar: true)
        log("val_acc", accuracy(logits: logits, targets: y))
    }
    func configureOptimizers() -> OptimizerConfig { .init(Adam(parameters(), lr: learningRate)) }
}

final class ArchitectureExampleTests: XCTestCase {
    /// The example's run: 10 epochs on the bundled digits reach ≥ 95 % validation accuracy, the
    /// best checkpoint exists, and predict returns every test sample's logits in order.
    func testExampleTrainsDigitsToNinetyFivePercent() throws {
        let directory = makeTemporaryDirectory()
        try directory.withCurrentDirectory {
            seedEverything(42)
            let model = DigitsClassifier()
            let data = DigitsDataModule(batchSize: 64)
            let trainer = Trainer(maxEpochs: 10, callbacks: [ModelCheckpoint(monitor: "val_loss")])
            try trainer.fit(model, datamodule: data)
            let predictions = try trainer.predict(model, datamodule: data)  // all ranks' outputs, in order, on rank 0

            let accuracy = try XCTUnwrap(trainer.callbackMetrics["val_acc"])
            XCTAssertGreaterThanOrEqual(accuracy, 0.95)
            let best = try XCTUnwrap(trainer.checkpointCallback?.bestModelPath)
            XCTAssertTrue(FileManager.default.fileExists(atPath: best), best)
            XCTAssertTrue(best.contains("lightning_logs/version_0/checkpoints/epoch="), best)
            let split = DigitsDataModule(batchSize: 64)
            try split.setup(stage: .predict)
            let testCount = try XCTUnwrap(split.splits?.test.count)
            XCTAssertEqual(predictions.reduce(0) { $0 + $1.shape[0] }, testCount)
            XCTAssertEqual(predictions.first?.shape.last, 10)
        }
    }
}
