import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `TinyClassifier`'s layout (`net = Linear(4, 3)`) with a validation step.
final class TinyValidatingClassifier: LightningModule {
    let net = Linear(4, 3)
    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        crossEntropy(logits: net(batch.0), targets: batch.1)
    }
    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        log("val_loss", crossEntropy(logits: net(batch.0), targets: batch.1))
    }
    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.3)) }
}

/// A checkpoint PyTorch Lightning wrote (torch.save's zip; `Fixtures/make_lightning_ckpt.py`)
/// loads its weights through `loadFromCheckpoint` and the Trainer's `ckptPath`.
final class PyTorchLightningCheckpointTests: XCTestCase {
    let expectedWeight = (0..<12).map { (Float($0) - 6) / 10 }
    let expectedBias: [Float] = [0.1, -0.2, 0.3]

    func path() throws -> String {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/pytorch_lightning_tiny", withExtension: "ckpt")).path
    }

    func testLoadFromCheckpointTakesWeightsAndHyperparameters() throws {
        let loaded = try TinyClassifier.loadFromCheckpoint(try path())
        XCTAssertEqual(loaded.stateDict()["net.weight"]?.scalars, expectedWeight)
        XCTAssertEqual(loaded.stateDict()["net.bias"]?.scalars, expectedBias)
        XCTAssertEqual(loaded.hparams, ["width": 3])
        let checkpoint = try CheckpointIO.read(path: try path())
        XCTAssertEqual(checkpoint.epoch, 1)
        XCTAssertEqual(checkpoint.globalStep, 14)
    }

    func testTrainerValidateAndFitAcceptTheCheckpoint() throws {
        let directory = makeTemporaryDirectory()
        let (train, val) = ScenarioData.loaders(FitScenario(trainCount: 8, trainBatch: 4, valCount: 5, valBatch: 5, maxEpochs: 1,
                                                            logEveryNSteps: 1, sanitySteps: 0))
        let model = TinyValidatingClassifier()
        let trainer = Trainer(maxEpochs: 1, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path, logger: false)
        _ = try trainer.validate(model, dataloaders: val, ckptPath: try path(), verbose: false)
        XCTAssertEqual(model.stateDict()["net.weight"]?.scalars, expectedWeight)

        // fit: weights only; training starts at epoch 0 and takes its 2 steps.
        let fitted = TinyClassifier()
        let fitTrainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                                 defaultRootDir: directory.path, logger: false)
        try fitTrainer.fit(fitted, trainDataloaders: train, ckptPath: try path())
        XCTAssertEqual(fitTrainer.globalStep, 2)
        XCTAssertNotEqual(fitted.stateDict()["net.weight"]?.scalars, expectedWeight)
    }

    func testDamagedCheckpointNamesTheFile() throws {
        let directory = makeTemporaryDirectory()
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path())))
        bytes.removeLast(100)
        let damaged = directory.write("damaged.ckpt", bytes)
        XCTAssertThrowsError(try TinyClassifier().loadFromCheckpoint(damaged)) { error in
            XCTAssertTrue("\(error)".contains(damaged) && "\(error)".contains("PyTorch Lightning checkpoint"), "\(error)")
        }
    }
}

/// `net = Linear(4, 3)` trained with Adam; records its optimizer state when training starts.
final class TinyAdamClassifier: LightningModule {
    let net = Linear(4, 3)
    var stateAtStart: [Int: [String: Tensor]] = [:]
    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        crossEntropy(logits: net(batch.0), targets: batch.1)
    }
    func configureOptimizers() -> OptimizerConfig { .init(Adam(parameters(), lr: 0.01)) }
    func onTrainStart() throws { stateAtStart = optimizers()[0].stateDict().tensors }
}

/// Adam's state from a torch-written checkpoint reaches the optimizer when the layouts match.
final class PyTorchLightningOptimizerStateTests: XCTestCase {
    func testAdamMomentsAndStepAreLoaded() throws {
        try skipUnlessPython(modules: ["torch"])
        let directory = makeTemporaryDirectory()
        let path = directory.file("adam.ckpt")
        let made = try runPython("""
        import sys, torch
        torch.manual_seed(0)
        net = torch.nn.Linear(4, 3)
        opt = torch.optim.Adam(net.parameters(), lr=0.01)
        for _ in range(2):
            opt.zero_grad(); net(torch.randn(5, 4)).pow(2).sum().backward(); opt.step()
        sd = {'net.' + k: v for k, v in net.state_dict().items()}
        torch.save({'state_dict': sd, 'epoch': 0, 'global_step': 2, 'optimizer_states': [opt.state_dict()]}, sys.argv[1])
        print(' '.join(repr(x) for x in opt.state[net.weight]['exp_avg'].flatten().tolist()))
        """, [path])
        XCTAssertTrue(made.succeeded, made.stderr)
        let expected = made.stdout.split(separator: " ").map { Float(Double($0.trimmingCharacters(in: .whitespacesAndNewlines))!) }
        let (train, _) = ScenarioData.loaders(FitScenario(trainCount: 8, trainBatch: 4, valCount: 5, valBatch: 5, maxEpochs: 1,
                                                          logEveryNSteps: 1, sanitySteps: 0))
        let model = TinyAdamClassifier()
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory.path, logger: false)
        try trainer.fit(model, trainDataloaders: train, ckptPath: path)
        XCTAssertEqual(model.stateAtStart[0]?["exp_avg"]?.scalars, expected)
        XCTAssertEqual(model.stateAtStart[0]?["step"]?.scalars, [2])
        XCTAssertEqual(model.stateAtStart[1]?["exp_avg_sq"]?.shape, [3])
    }
}
