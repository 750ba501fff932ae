import Foundation
@testable import Lightning
import LightningTestSupport
import XCTest

/// Lightning 1.x's `training_epoch_end(outputs)` and its evaluation counterparts: the epoch's
/// step outputs, in order, for modules that collect them; nothing kept for the others.
final class EpochOutputsTests: XCTestCase {
    /// Returns the batch index with each output and records what the epoch-end hooks receive.
    final class Collecting: LightningModule {
        static let collectsEpochOutputs = true
        let net = Linear(4, 3)
        var stepLosses: [[Float]] = [[]]
        var trainingEpochs: [[[String: Tensor]]] = []
        var validationEpochs: [[Tensor]] = []
        var testEpochs: [[Int]] = []

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> [String: Tensor] {
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            stepLosses[stepLosses.count - 1].append(loss.item())
            return ["loss": loss, "index": Tensor(Float(batchIndex))]
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            log("val_loss", crossEntropy(logits: net(batch.0), targets: batch.1))
            return Tensor(Float(10 * batchIndex))
        }
        func testStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Int { batchIndex * 100 }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }

        func trainingEpochEnd(outputs: [[String: Tensor]]) throws {
            trainingEpochs.append(outputs)
            stepLosses.append([])
            log("epoch_outputs", Double(outputs.count))
        }
        func validationEpochEnd(outputs: [Tensor]) throws { validationEpochs.append(outputs) }
        func testEpochEnd(outputs: [Int]) throws { testEpochs.append(outputs) }
    }

    func loaders() throws -> (train: DataLoader<(Tensor, Tensor)>, val: DataLoader<(Tensor, Tensor)>, trainBatches: Int, valBatches: Int) {
        let fixture = try ParityFixture.load()
        let train = try fixture.size("train"), val = try fixture.size("val0")
        return (DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch),
                DataLoader(ScenarioData.dataset(count: val.samples, seed: 2), batchSize: val.batch),
                (train.samples + train.batch - 1) / train.batch, (val.samples + val.batch - 1) / val.batch)
    }

    func trainer(epochs: Int) -> Trainer {
        Trainer(maxEpochs: epochs, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                defaultRootDir: makeTemporaryDirectory().path, logger: false)
    }

    func testEpochEndHooksGetEveryStepOutputInOrder() throws {
        let (train, val, trainBatches, valBatches) = try loaders()
        let epochs = 2
        let module = Collecting(), trainer = trainer(epochs: epochs)
        try trainer.fit(module, trainDataloaders: train, valDataloaders: val)
        XCTAssertEqual(module.trainingEpochs.count, epochs)
        for (epoch, outputs) in module.trainingEpochs.enumerated() {
            XCTAssertEqual(outputs.count, trainBatches)
            XCTAssertEqual(outputs.map { $0["index"]!.item() }, (0..<trainBatches).map(Float.init))
            XCTAssertEqual(outputs.map { $0["loss"]!.item() }, module.stepLosses[epoch], "the losses the steps returned")
        }
        XCTAssertEqual(trainer.callbackMetrics["epoch_outputs"], Double(trainBatches), "logging works in trainingEpochEnd")
        XCTAssertEqual(module.validationEpochs.count, epochs)
        for outputs in module.validationEpochs {
            XCTAssertEqual(outputs.map { $0.item() }, (0..<valBatches).map { Float(10 * $0) })
        }
        try trainer.test(module, dataloaders: val, verbose: false)
        XCTAssertEqual(module.testEpochs, [(0..<valBatches).map { 100 * $0 }])
        XCTAssertEqual(trainer.collectedEpochOutputs, epochs * (trainBatches + valBatches) + valBatches)
    }

    /// A module that does not collect (the default) keeps no step output.
    func testModulesWithoutTheHooksCollectNothing() throws {
        let (train, val, _, _) = try loaders()
        XCTAssertFalse(RecordingClassifier.collectsEpochOutputs)
        let module = RecordingClassifier(), trainer = trainer(epochs: 2)
        try trainer.fit(module, trainDataloaders: train, valDataloaders: val)
        try trainer.test(module, dataloaders: val, verbose: false)
        XCTAssertEqual(trainer.collectedEpochOutputs, 0)
    }
}
