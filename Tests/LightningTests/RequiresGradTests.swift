import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `freeze()` / `unfreeze()` and `toggleOptimizer` / `untoggleOptimizer` (Lightning's module
/// methods): which parameters receive gradients, and what they had accumulated.
final class RequiresGradTests: XCTestCase {
    func testFreezeAndUnfreezeSwitchEveryParameterAndTheMode() {
        let model = TinyGAN()
        model.freeze()
        XCTAssertTrue(model.parameters().allSatisfy { !$0.requiresGrad })
        XCTAssertFalse(model.isTraining)
        XCTAssertTrue(model.modules().allSatisfy { !$0.isTraining })
        model.unfreeze()
        XCTAssertTrue(model.parameters().allSatisfy(\.requiresGrad))
        XCTAssertTrue(model.modules().allSatisfy(\.isTraining))
    }

    func testAFrozenModulePredictsAndReceivesNoGradient() throws {
        let model = TinyGAN().freeze()
        let output = model(Tensor.ones([2, 4]))
        XCTAssertFalse(output.requiresGrad, "no parameter records: nothing to backpropagate into")
    }

    /// A generator and a discriminator with a layer both optimizers own, and a discriminator
    /// weight frozen from the start; the training step toggles each optimizer in turn.
    final class Toggled: LightningModule {
        let generator = Linear(4, 4)
        let discriminator = Linear(4, 1)
        let shared = Linear(4, 4)
        var checks = 0

        override init() {
            super.init()
            automaticOptimization = false
            discriminator.bias!.requiresGrad = false
        }

        override func forward(_ input: Tensor) -> Tensor { generator(shared(input)) }

        func scores(_ x: Tensor) -> Tensor { discriminator(shared(x)) }

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor? {
            let (generatorOptimizer, discriminatorOptimizer) = (optimizers()[0], optimizers()[1])
            let x = batch.0

            toggleOptimizer(discriminatorOptimizer)
            XCTAssertEqual(generator.parameters().map(\.requiresGrad), [false, false], "not the toggled optimizer's")
            XCTAssertEqual(shared.parameters().map(\.requiresGrad), [true, true], "shared with the toggled optimizer")
            XCTAssertEqual(discriminator.parameters().map(\.requiresGrad), [true, false], "frozen before, frozen still")
            discriminatorOptimizer.zeroGrad()
            generatorOptimizer.zeroGrad()
            try manualBackward(scores(self(x)).mean())
            XCTAssertTrue(generator.parameters().allSatisfy { $0.grad == nil }, "the generator receives no gradient")
            XCTAssertNotNil(discriminator.weight.grad)
            let discriminatorGradient = try XCTUnwrap(discriminator.weight.grad).scalars
            discriminatorOptimizer.step()
            untoggleOptimizer(discriminatorOptimizer)
            XCTAssertEqual(generator.parameters().map(\.requiresGrad), [true, true])
            XCTAssertEqual(discriminator.parameters().map(\.requiresGrad), [true, false])

            toggleOptimizer(generatorOptimizer)
            XCTAssertEqual(discriminator.parameters().map(\.requiresGrad), [false, false])
            try manualBackward(-scores(self(x)).mean())
            XCTAssertNotNil(generator.weight.grad)
            XCTAssertEqual(discriminator.weight.grad?.scalars, discriminatorGradient, "a toggled-off parameter keeps what it accumulated")
            generatorOptimizer.step()
            untoggleOptimizer(generatorOptimizer)
            XCTAssertEqual(discriminator.parameters().map(\.requiresGrad), [true, false])
            checks += 1
            return nil
        }

        func configureOptimizers() -> OptimizerConfig {
            .init([.init(SGD(generator.parameters() + shared.parameters(), lr: 0.1)),
                   .init(SGD(discriminator.parameters() + shared.parameters(), lr: 0.1))])
        }
    }

    func testToggleLetsOnlyTheToggledOptimizersParametersTrain() throws {
        let model = Toggled()
        let trainer = Trainer(maxEpochs: 1, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.fit(model, trainDataloaders: DataLoader(ScenarioData.dataset(count: 12, seed: 1), batchSize: 4))
        XCTAssertEqual(model.checks, 3)
        XCTAssertEqual(trainer.globalStep, 6, "two optimizer steps per batch")
    }
}
