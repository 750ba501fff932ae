import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A module with `init()`, so `TinyClassifier.loadFromCheckpoint(path)` can build one.
final class TinyClassifier: LightningModule, DefaultInitializable {
    let net = Linear(4, 3)
    override init() {
        super.init()
        saveHyperparameters(["width": 3])
    }
    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        crossEntropy(logits: net(batch.0), targets: batch.1)
    }
    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.3)) }
}

/// `loadFromCheckpoint`: a fitted run's checkpoint loaded into a fresh module predicts the same.
final class LoadFromCheckpointTests: XCTestCase {
    let inputs = Tensor(shape: [5, 4], scalars: (0..<20).map { Float($0) / 7 - 1.3 })

    /// Fits `model` for two epochs (validating when `validate`) and returns its `last.ckpt`.
    func fit<M: LightningModule>(_ model: M, in directory: TemporaryDirectory, validate: Bool = true) throws -> String
    where M.Batch == (Tensor, Tensor) {
        let (train, val) = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 12, valBatch: 5, maxEpochs: 2,
                                                            logEveryNSteps: 1, sanitySteps: 0))
        let trainer = Trainer(maxEpochs: 2, enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                              callbacks: [ModelCheckpoint(dirpath: directory.file("ckpt"), saveLast: true)], logger: false)
        try trainer.fit(model, trainDataloaders: train, valDataloaders: validate ? val : nil)
        return directory.file("ckpt/last.ckpt")
    }

    func testFreshModuleGetsTheWeightsAndHyperparameters() throws {
        let directory = makeTemporaryDirectory()
        seedEverything(3)
        let trained = RecordingClassifier(hidden: 6, lr: 0.2)
        let path = try fit(trained, in: directory)
        let fresh = RecordingClassifier(hidden: 6, lr: 0.5)
        XCTAssertNotEqual(fresh(inputs).scalars, trained(inputs).scalars)

        let skipped = try fresh.loadFromCheckpoint(path)
        XCTAssertEqual(skipped.missingKeys + skipped.unexpectedKeys, [])
        XCTAssertEqual(fresh(inputs).scalars, trained(inputs).scalars)
        XCTAssertEqual(fresh.hparams, ["hidden": 6, "lr": 0.2])
    }

    func testStaticFormsBuildTheModule() throws {
        let directory = makeTemporaryDirectory()
        seedEverything(4)
        let trained = RecordingClassifier(hidden: 5, lr: 0.2)
        let path = try fit(trained, in: directory)
        let built = try RecordingClassifier.loadFromCheckpoint(path) { hparams in
            RecordingClassifier(hidden: hparams["hidden"]?.intValue ?? 0, lr: hparams["lr"]?.doubleValue ?? 0)
        }
        XCTAssertEqual(built.net.stateDict()["0.weight"]?.shape, [5, 4])
        XCTAssertEqual(built(inputs).scalars, trained(inputs).scalars)

        let tiny = TinyClassifier()
        let tinyPath = try fit(tiny, in: makeTemporaryDirectory(), validate: false)
        let loaded = try TinyClassifier.loadFromCheckpoint(tinyPath)
        XCTAssertEqual(loaded(inputs).scalars, tiny(inputs).scalars)
        XCTAssertEqual(loaded.hparams, ["width": 3])
    }

    func testErrorsNameTheFileAndTheKeys() throws {
        let directory = makeTemporaryDirectory()
        let path = try fit(RecordingClassifier(hidden: 6), in: directory)

        let missing = directory.file("nowhere.ckpt")
        XCTAssertThrowsError(try RecordingClassifier().loadFromCheckpoint(missing)) { error in
            XCTAssertEqual("\(error)", "checkpoint \(missing): no such file")
        }
        let plain = directory.file("plain.safetensors")
        try RecordingClassifier().save(to: plain)
        XCTAssertThrowsError(try RecordingClassifier().loadFromCheckpoint(plain)) { error in
            XCTAssertTrue("\(error)".contains(plain) && "\(error)".contains("not a swift-lightning checkpoint"), "\(error)")
        }
        XCTAssertThrowsError(try RecordingClassifier(hidden: 7).loadFromCheckpoint(path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(path) && text.contains("size mismatch for net.0.weight") && text.contains("RecordingClassifier"), text)
        }
        // Other parameter names: strict names them; non-strict reports them and loads nothing.
        let other = TinyClassifier()
        let before = other(inputs).scalars
        XCTAssertThrowsError(try other.loadFromCheckpoint(path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("missing keys:") && text.contains("\"net.weight\"") && text.contains("\"net.0.weight\""), text)
        }
        let skipped = try other.loadFromCheckpoint(path, strict: false)
        XCTAssertEqual(skipped.missingKeys.sorted(), ["net.bias", "net.weight"])
        XCTAssertEqual(skipped.unexpectedKeys, ["net.0.bias", "net.0.weight", "net.2.bias", "net.2.weight"])
        XCTAssertEqual(other(inputs).scalars, before)
    }
}
