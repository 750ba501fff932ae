import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `inferenceMode`: evaluation and prediction run under inference mode, which `enableGrad`
/// cannot leave; with `inferenceMode: false` they run under `noGrad`, so a step may take a
/// gradient (here the input gradient of a linear model, known in closed form). `benchmark` is
/// accepted and kept.
final class InferenceModeTests: XCTestCase {
    func testEnableGradRecordsInsideNoGradButNotInsideInferenceMode() {
        let w = Tensor(shape: [3], scalars: [1, 2, 3]).requiringGrad()
        noGrad {
            XCTAssertFalse((w * 2).requiresGrad)
            enableGrad {
                XCTAssertTrue(GradMode.isEnabled)
                XCTAssertTrue((w * 2).requiresGrad)
                noGrad { XCTAssertFalse((w * 2).requiresGrad, "noGrad nests inside enableGrad") }
            }
            XCTAssertFalse(GradMode.isEnabled, "noGrad is back after enableGrad")
        }
        inferenceMode {
            XCTAssertTrue(GradMode.isInferenceMode)
            enableGrad { XCTAssertFalse((w * 2).requiresGrad, "inference mode cannot be left from within") }
        }
        XCTAssertFalse(GradMode.isInferenceMode)
        XCTAssertTrue((w * 2).requiresGrad)
    }

    /// A linear model whose validation step takes d(sum of outputs)/d(input) inside `enableGrad`:
    /// for `y = xWᵀ + b` that is every row equal to the column sums of W.
    final class InputGradients: LightningModule {
        let linear = Linear(4, 3)
        var gradients: [Tensor?] = []
        var recorded: [Bool] = []
        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            crossEntropy(logits: linear(batch.0), targets: batch.1)
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
            enableGrad {
                let input = batch.0.copied().requiringGrad()
                let total = linear(input).sum()
                recorded.append(total.requiresGrad)
                if total.requiresGrad {
                    total.backward()
                    gradients.append(input.grad)
                } else {
                    gradients.append(nil)
                }
            }
            log("val_loss", crossEntropy(logits: linear(batch.0), targets: batch.1))
        }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
    }

    func validate(inferenceMode: Bool) throws -> (InputGradients, Trainer) {
        let model = InputGradients()
        let trainer = Trainer(inferenceMode: inferenceMode, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.validate(model, dataloaders: DataLoader(ScenarioData.dataset(count: 6, seed: 2), batchSize: 4), verbose: false)
        return (model, trainer)
    }

    func testWithoutInferenceModeAStepMayTakeAnInputGradient() throws {
        let (model, trainer) = try validate(inferenceMode: false)
        XCTAssertFalse(trainer.inferenceMode)
        XCTAssertEqual(model.recorded, [true, true])
        // weight is [out 3, in 4], row-major.
        let weight = model.linear.weight.value.scalars
        let columnSums = (0..<4).map { c in (0..<3).reduce(Float(0)) { $0 + weight[$1 * 4 + c] } }
        for gradient in model.gradients {
            let rows = try XCTUnwrap(gradient)
            for (i, value) in rows.scalars.enumerated() { XCTAssertEqual(value, columnSums[i % 4], accuracy: 1e-6) }
        }
        XCTAssertFalse(GradMode.isInferenceMode)
        XCTAssertTrue(GradMode.isEnabled, "the pass leaves grad mode as it found it")
    }

    func testInInferenceModeTheStepRecordsNothing() throws {
        let (model, trainer) = try validate(inferenceMode: true)
        XCTAssertTrue(trainer.inferenceMode, "the default")
        XCTAssertEqual(model.recorded, [false, false])
    }

    func testPredictFollowsTheSetting() throws {
        final class Probe: LightningModule {
            let linear = Linear(4, 3)
            var modes: [Bool] = []
            func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor { linear(batch.0).sum() }
            func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
                modes.append(GradMode.isInferenceMode)
                return linear(batch.0)
            }
            func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
        }
        for flag in [true, false] {
            let model = Probe()
            let trainer = Trainer(inferenceMode: flag, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                                  defaultRootDir: makeTemporaryDirectory().path, logger: false)
            _ = try trainer.predict(model, dataloaders: DataLoader(ScenarioData.dataset(count: 5, seed: 2), batchSize: 4))
            XCTAssertEqual(model.modes, [flag, flag])
        }
    }

    func testBenchmarkIsAcceptedAndKept() {
        XCTAssertNil(Trainer(enableCheckpointing: false, logger: false).benchmark)
        XCTAssertEqual(Trainer(benchmark: true, enableCheckpointing: false, logger: false).benchmark, true)
    }
}
