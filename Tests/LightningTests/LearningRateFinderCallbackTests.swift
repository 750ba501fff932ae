import Foundation
@testable import Lightning
import LightningTestSupport
import XCTest

/// `Trainer(callbacks: [LearningRateFinder()])`: the sweep runs in `onFitStart`, everything it
/// changed is put back, and the fit proceeds with the suggested rate on the module and its
/// optimizer (Lightning's `LearningRateFinder.on_fit_start`).
final class LearningRateFinderCallbackTests: XCTestCase {
    /// A small classifier whose rate the finder sets.
    final class Tunable: LightningModule, LearningRateTunable {
        let net = Sequential(Linear(4, 16), ReLU(), Linear(16, 3))
        var learningRate = 1e-3
        var configuredRates: [Double] = []
        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            log("train_loss", loss)
            return loss
        }
        func configureOptimizers() -> OptimizerConfig {
            configuredRates.append(learningRate)
            return .init(SGD(parameters(), lr: learningRate, momentum: 0.9))
        }
    }

    /// What the real fit starts from: the weights, the random generator and the progress when
    /// the callbacks after the finder see `onFitStart`, and the rate of every real step.
    final class FitStartProbe: Callback {
        var weights: [String: [Float]] = [:]
        var generatorState: Generator.State?
        var progress: FitProgress?
        var stepRates: [Double] = []
        var momentumBuffers: Int?
        func onFitStart(trainer: Trainer, module: LightningModuleBase) throws {
            weights = module.stateDict().mapValues(\.scalars)
            generatorState = Generator.default.state
            progress = trainer.progress
            momentumBuffers = trainer.optimizers[0].stateDict().tensors.count
        }
        func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
            stepRates.append(trainer.optimizers[0].learningRates[0])
        }
    }

    static let samples = 64, batchSize = 8

    func loader() -> DataLoader<(Tensor, Tensor)> {
        DataLoader(ScenarioData.dataset(count: Self.samples, seed: 1), batchSize: Self.batchSize, shuffle: true)
    }

    func testTheFitUsesTheSuggestedRateFromThePreSweepWeights() throws {
        seedEverything(2)
        let model = Tunable()
        let before = model.stateDict().mapValues(\.scalars)
        let generatorBefore = Generator.default.state
        let epochs = 2
        let finder = LearningRateFinder(minLR: 1e-4, maxLR: 1, numTraining: 30)
        let probe = FitStartProbe()
        let trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, callbacks: [finder, probe], logger: false)
        let messages = LineRecorder()
        try messages.capturingTrainerLog { try trainer.fit(model, trainDataloaders: loader()) }

        let result = try XCTUnwrap(finder.result)
        XCTAssertEqual(result.learningRates.count, finder.numTraining, "the sweep's steps run past epoch ends")
        for (i, rate) in result.learningRates.enumerated() {
            XCTAssertEqual(rate, LearningRateSweepMode.exponential.rate(at: i, of: finder.numTraining, minimum: 1e-4, maximum: 1), accuracy: rate * 1e-9)
        }
        let suggestion = try XCTUnwrap(finder.suggestion)
        XCTAssertEqual(model.learningRate, suggestion)
        XCTAssertEqual(model.configuredRates, [1e-3], "the optimizer configured once, its rate then set")
        XCTAssertEqual(probe.weights, before, "the fit starts from the weights before the sweep")
        XCTAssertEqual(probe.generatorState, generatorBefore, "the sweep's random draws are undone")
        XCTAssertEqual(probe.progress, FitProgress())
        XCTAssertEqual(probe.momentumBuffers, 0, "the optimizer state is the fresh one")
        let batches = (Self.samples + Self.batchSize - 1) / Self.batchSize
        XCTAssertEqual(probe.stepRates, Array(repeating: suggestion, count: batches * epochs), "every real step uses the suggestion")
        XCTAssertEqual(trainer.globalStep, batches * epochs, "the sweep's steps are not counted")
        XCTAssertTrue(messages.lines.contains("Learning rate set to \(suggestion)\n"), "\(messages.lines)")
    }

    func testWithoutUpdatingTheAttributeTheRateStays() throws {
        seedEverything(2)
        let model = Tunable()
        let finder = LearningRateFinder(minLR: 1e-4, maxLR: 1, numTraining: 20, updateAttribute: false)
        let probe = FitStartProbe()
        let trainer = Trainer(maxEpochs: 1, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, callbacks: [finder, probe], logger: false)
        try trainer.fit(model, trainDataloaders: loader())
        XCTAssertNotNil(finder.result)
        XCTAssertEqual(model.learningRate, 1e-3)
        XCTAssertTrue(probe.stepRates.allSatisfy { $0 == 1e-3 })
    }

    func testAModuleWithoutARateIsAnErrorBeforeTheSweep() throws {
        let model = RecordingClassifier()
        let trainer = Trainer(maxEpochs: 1, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, callbacks: [LearningRateFinder(numTraining: 5)], logger: false)
        XCTAssertThrowsError(try trainer.fit(model, trainDataloaders: loader())) { error in
            XCTAssertTrue("\(error)".contains("RecordingClassifier has no learning rate to set; conform it to LearningRateTunable"), "\(error)")
        }
        XCTAssertEqual(model.calls.filter { $0.hasPrefix("training_step") }, [], "nothing trained")
    }

    func testFastDevRunSkipsTheSweep() throws {
        let model = Tunable()
        let finder = LearningRateFinder(numTraining: 5)
        let trainer = Trainer(fastDevRun: 1, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, callbacks: [finder])
        try trainer.fit(model, trainDataloaders: loader())
        XCTAssertNil(finder.result)
        XCTAssertEqual(trainer.globalStep, 1)
    }
}
