import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `gradientClipVal` clips before the optimizer steps: each SGD update is checked against one
/// computed by hand from the unclipped gradients `onBeforeOptimizerStep` sees (it runs before clipping).
final class TrainerGradientClippingTests: XCTestCase {
    final class HandComputedUpdate: Callback {
        let clip: Float
        let algorithm: GradientClipAlgorithm
        var stepsThatClipped = 0
        var largestDeviation: Float = 0
        var largestClippedGradient: Float = 0
        var largestClippedNorm: Float = 0
        private var expected: [[Float]] = []
        private var expectedGradients: [[Float]] = []

        init(clip: Float, algorithm: GradientClipAlgorithm) {
            self.clip = clip
            self.algorithm = algorithm
        }

        func onBeforeOptimizerStep(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws {
            let lr = Float(optimizer.learningRates[0])
            let gradients = module.parameters().map { $0.grad!.scalars }
            let clipped = clipByHand(gradients)
            if clipped != gradients { stepsThatClipped += 1 }
            expectedGradients = clipped
            expected = zip(module.parameters(), clipped).map { parameter, gradient in
                zip(parameter.value.scalars, gradient).map { $0 - lr * $1 }
            }
        }

        func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
            for (parameter, (weights, gradient)) in zip(module.parameters(), zip(expected, expectedGradients)) {
                for (actual, wanted) in zip(parameter.value.scalars, weights) { largestDeviation = max(largestDeviation, abs(actual - wanted)) }
                for (actual, wanted) in zip(parameter.grad!.scalars, gradient) { largestDeviation = max(largestDeviation, abs(actual - wanted)) }
            }
            let gradients = module.parameters().flatMap { $0.grad!.scalars }
            largestClippedGradient = max(largestClippedGradient, gradients.map(abs).max()!)
            largestClippedNorm = max(largestClippedNorm, gradients.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }

        /// Clamped to ±clip, or scaled by clip / (total 2-norm + 1e-6) when that is below 1 (PyTorch's rule).
        func clipByHand(_ gradients: [[Float]]) -> [[Float]] {
            switch algorithm {
            case .value:
                return gradients.map { $0.map { min(max($0, -clip), clip) } }
            case .norm:
                let total = gradients.map { g in g.reduce(0) { $0 + Double($1) * Double($1) } }.reduce(0, +).squareRoot()
                let coefficient = clip / (Float(total) + 1e-6)
                return coefficient < 1 ? gradients.map { $0.map { $0 * coefficient } } : gradients
            }
        }
    }

    func fit(clip: Double, algorithm: GradientClipAlgorithm) throws -> HandComputedUpdate {
        let check = HandComputedUpdate(clip: Float(clip), algorithm: algorithm)
        let trainer = Trainer(maxEpochs: 1, gradientClipVal: clip, gradientClipAlgorithm: algorithm, enableCheckpointing: false,
                              enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path,
                              callbacks: [check], logger: false)
        let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 5, valBatch: 5, maxEpochs: 1,
                                                       logEveryNSteps: 1, sanitySteps: 0))
        try trainer.fit(RecordingClassifier(), trainDataloaders: loaders.train)
        return check
    }

    func testClipByValue() throws {
        let check = try fit(clip: 0.01, algorithm: .value)
        XCTAssertEqual(check.stepsThatClipped, 7, "every step had a gradient beyond 0.01")
        XCTAssertLessThan(check.largestDeviation, 1e-6)
        XCTAssertEqual(check.largestClippedGradient, 0.01, accuracy: 1e-9)
    }

    func testClipByNorm() throws {
        let check = try fit(clip: 0.05, algorithm: .norm)
        XCTAssertEqual(check.stepsThatClipped, 7, "every step's gradient norm was beyond 0.05")
        XCTAssertLessThan(check.largestDeviation, 1e-6)
        XCTAssertEqual(check.largestClippedNorm, 0.05, accuracy: 1e-5)
    }
}
