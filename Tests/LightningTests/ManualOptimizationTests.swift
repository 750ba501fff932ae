import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A GAN in miniature: a generator and a discriminator, each with its own optimizer, stepped in
/// turn by the training step (Lightning's manual-optimization example).
final class TinyGAN: LightningModule {
    let generator = Sequential(Linear(4, 8), ReLU(), Linear(8, 4))
    let discriminator = Sequential(Linear(4, 8), ReLU(), Linear(8, 1))
    var hookCalls: [String: Int] = [:]
    /// Steps the generator's scheduler at each epoch end (schedulers are the module's job here).
    var stepsSchedulerAtEpochEnd = false

    init(manual: Bool = true) {
        super.init()
        automaticOptimization = !manual
    }

    override func forward(_ input: Tensor) -> Tensor { generator(input) }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor? {
        let optimizers = optimizers()
        let (generatorOptimizer, discriminatorOptimizer) = (optimizers[0], optimizers[1])
        let real = batch.0
        let ones = Tensor.ones([real.shape[0], 1]), zeros = Tensor.zeros([real.shape[0], 1])

        discriminatorOptimizer.zeroGrad()
        let fake = generator(real * 0.5).detached()
        let discriminatorLoss = binaryCrossEntropyWithLogits(discriminator(real), ones)
            + binaryCrossEntropyWithLogits(discriminator(fake), zeros)
        try manualBackward(discriminatorLoss)
        discriminatorOptimizer.step()

        generatorOptimizer.zeroGrad()
        let generatorLoss = binaryCrossEntropyWithLogits(discriminator(generator(real * 0.5)), ones)
        try manualBackward(generatorLoss)
        generatorOptimizer.step()

        log("d_loss", discriminatorLoss, progressBar: true)
        log("g_loss", generatorLoss)
        return nil
    }

    func configureOptimizers() -> OptimizerConfig {
        let generatorOptimizer = SGD(generator.parameters(), lr: 0.2)
        return .init([.init(generatorOptimizer, scheduler: .init(StepLR(generatorOptimizer, stepSize: 1, gamma: 0.5))),
                      .init(SGD(discriminator.parameters(), lr: 0.1))])
    }

    func onTrainEpochEnd() throws {
        if stepsSchedulerAtEpochEnd { (lrSchedulers()[0] as? LRScheduler)?.step() }
    }
    func onBeforeBackward(_ loss: Tensor) throws { hookCalls["on_before_backward", default: 0] += 1 }
    func onAfterBackward() throws { hookCalls["on_after_backward", default: 0] += 1 }
    func onBeforeOptimizerStep(_ optimizer: any Optimizer) throws { hookCalls["on_before_optimizer_step", default: 0] += 1 }
    func onBeforeZeroGrad(_ optimizer: any Optimizer) throws { hookCalls["on_before_zero_grad", default: 0] += 1 }
}

/// Checks what gradient clipping did: at each optimizer step it keeps the gradients of the
/// parameters that optimizer does not own, and at the batch's end compares (the generator steps
/// last, so its gradients are the clipped ones then, and the discriminator's are untouched).
final class ClipProbe: Callback {
    var optimizerSteps = 0
    var generatorMaxAbsGradient: Float = 0
    var discriminatorGradientsChangedByGeneratorStep = false
    private var discriminatorGradientsBeforeGeneratorStep: [[Float]] = []

    func onBeforeOptimizerStep(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws {
        optimizerSteps += 1
        let gan = module as! TinyGAN
        if optimizer.parameters.first === gan.generator.parameters().first {
            discriminatorGradientsBeforeGeneratorStep = gan.discriminator.parameters().map { $0.grad!.scalars }
        }
    }

    func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        let gan = module as! TinyGAN
        let generatorGradients = gan.generator.parameters().flatMap { $0.grad!.scalars }
        generatorMaxAbsGradient = max(generatorMaxAbsGradient, generatorGradients.map(abs).max()!)
        if gan.discriminator.parameters().map({ $0.grad!.scalars }) != discriminatorGradientsBeforeGeneratorStep {
            discriminatorGradientsChangedByGeneratorStep = true
        }
    }
}

final class ManualOptimizationTests: XCTestCase {
    let scenario = FitScenario(trainCount: 24, trainBatch: 4, valCount: 4, valBatch: 4, maxEpochs: 2, logEveryNSteps: 1, sanitySteps: 0)

    func trainer(_ directory: TemporaryDirectory, clip: Double? = nil, callbacks: [any Callback] = []) -> Trainer {
        Trainer(maxEpochs: scenario.maxEpochs, gradientClipVal: clip, gradientClipAlgorithm: .value, enableCheckpointing: false,
                enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path, callbacks: callbacks, logger: false)
    }

    func testTwoOptimizersStepInTurnWithHooksStepsAndClipping() throws {
        seedEverything(5)
        let gan = TinyGAN()
        let before = gan.stateDict().mapValues { $0.scalars }
        let probe = ClipProbe()
        let trainer = trainer(makeTemporaryDirectory(), clip: 1e-4, callbacks: [probe])
        try trainer.fit(gan, trainDataloaders: ScenarioData.loaders(scenario).train)

        let batches = scenario.trainBatches * scenario.maxEpochs
        XCTAssertEqual(trainer.globalStep, 2 * batches, "one global step per optimizer step")
        XCTAssertEqual(gan.hookCalls, ["on_before_backward": 2 * batches, "on_after_backward": 2 * batches,
                                       "on_before_optimizer_step": 2 * batches])
        XCTAssertEqual(probe.optimizerSteps, 2 * batches)
        let after = gan.stateDict().mapValues { $0.scalars }
        for name in ["generator.0.weight", "generator.2.bias", "discriminator.0.weight", "discriminator.2.bias"] {
            XCTAssertNotEqual(after[name], before[name], "\(name) did not change")
        }
        // Clipped to the value, and only the stepping optimizer's own parameters.
        XCTAssertEqual(probe.generatorMaxAbsGradient, 1e-4, accuracy: 1e-9)
        XCTAssertFalse(probe.discriminatorGradientsChangedByGeneratorStep)
        XCTAssertNotNil(trainer.callbackMetrics["d_loss"])
        XCTAssertNotNil(trainer.callbackMetrics["g_loss"])
    }

    func testSchedulersAreTheModulesToStepUnderManualOptimization() throws {
        let gan = TinyGAN()
        let trainer = trainer(makeTemporaryDirectory())
        try trainer.fit(gan, trainDataloaders: ScenarioData.loaders(scenario).train)
        XCTAssertEqual(trainer.optimizers[0].learningRates, [0.2], "the Trainer does not step schedulers under manual optimization")

        let stepping = TinyGAN()
        stepping.stepsSchedulerAtEpochEnd = true
        let steppingTrainer = self.trainer(makeTemporaryDirectory())
        try steppingTrainer.fit(stepping, trainDataloaders: ScenarioData.loaders(scenario).train)
        XCTAssertEqual(steppingTrainer.optimizers[0].learningRates, [0.05], "two epoch-end steps of StepLR(1, 0.5), none by the Trainer")
    }

    func testAutomaticOptimizationWithTwoOptimizersIsAClearError() throws {
        let gan = TinyGAN(manual: false)
        XCTAssertThrowsError(try trainer(makeTemporaryDirectory()).fit(gan, trainDataloaders: ScenarioData.loaders(scenario).train)) { error in
            XCTAssertEqual("\(error)", "TinyGAN.configureOptimizers returned 2 optimizers; several optimizers need manual optimization: "
                           + "set automaticOptimization = false in init and step each of optimizers() in trainingStep")
        }
        XCTAssertEqual(gan.hookCalls, [:], "nothing trained")
    }

    func testAHookThrowingInsideAManualStepEndsTheFitWithItsError() throws {
        struct Refused: Error {}
        final class Refuse: Callback {
            func onBeforeOptimizerStep(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws { throw Refused() }
        }
        let gan = TinyGAN()
        let before = gan.stateDict().mapValues { $0.scalars }
        XCTAssertThrowsError(try trainer(makeTemporaryDirectory(), callbacks: [Refuse()]).fit(gan, trainDataloaders: ScenarioData.loaders(scenario).train)) {
            XCTAssertTrue($0 is Refused, "\($0)")
        }
        XCTAssertEqual(gan.stateDict().mapValues { $0.scalars }, before, "no optimizer stepped")
    }

    func testClipGradientsClipsTheOptimizersParameters() throws {
        let gan = TinyGAN()
        for parameter in gan.parameters() { parameter.grad = Tensor.full(parameter.shape, 3) }
        try gan.clipGradients(SGD(gan.generator.parameters(), lr: 0.1), gradientClipVal: 0.5, gradientClipAlgorithm: .value)
        XCTAssertEqual(Set(gan.generator.parameters().flatMap { $0.grad!.scalars }), [0.5])
        XCTAssertEqual(Set(gan.discriminator.parameters().flatMap { $0.grad!.scalars }), [3])

        try gan.clipGradients(SGD(gan.discriminator.parameters(), lr: 0.1), gradientClipVal: 1)
        let norm = gan.discriminator.parameters().flatMap { $0.grad!.scalars }.reduce(0) { $0 + $1 * $1 }.squareRoot()
        XCTAssertEqual(norm, 1, accuracy: 1e-4)
    }
}
