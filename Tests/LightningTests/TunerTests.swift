import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Lightning
import LightningTestSupport
import XCTest

/// The learning-rate finder: its sweep, its suggestion rule (steepest descent of the smoothed
/// loss, as Lightning's), the model put back afterwards, early stop on divergence, and a
/// suggestion on the digits MLP that trains.
final class TunerTests: XCTestCase {
    /// The digits MLP of the README, with a rate to set.
    final class Classifier: LightningModule {
        let net = Sequential(Linear(64, 128), ReLU(), Linear(128, 10))
        var learningRate = 1e-3
        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            log("train_loss", loss, onStep: false, onEpoch: true)
            return loss
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
            log("val_acc", accuracy(logits: net(batch.0), targets: batch.1))
        }
        func configureOptimizers() -> OptimizerConfig { .init(Adam(parameters(), lr: learningRate)) }
    }

    func trainer() -> Trainer {
        Trainer(maxEpochs: 4, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                defaultRootDir: makeTemporaryDirectory().path, logger: false)
    }

    func testGradientIsNumpysOnANonUniformGrid() {
        // f = x²: central differences on a non-uniform grid are exact for a quadratic (2x);
        // the ends are one-sided: (f₁ − f₀)/(x₁ − x₀) = x₀ + x₁.
        let x = [0.0, 0.5, 2.0, 2.25, 4.0]
        let g = LearningRateFinderResult.gradient(x.map { $0 * $0 }, spacing: x)
        XCTAssertEqual(g[0], x[0] + x[1], accuracy: 1e-12)
        for i in 1..<(x.count - 1) { XCTAssertEqual(g[i], 2 * x[i], accuracy: 1e-12) }
        XCTAssertEqual(g[x.count - 1], x[x.count - 2] + x[x.count - 1], accuracy: 1e-12)
    }

    func testSuggestionIsTheSteepestDescentAfterTheSkippedSteps() {
        // Loss falls fastest (per unit of rate) between rates 4 and 5 here.
        let rates = (1...12).map(Double.init)
        let losses = [9, 9, 8.9, 8, 5, 4.8, 4.7, 4.7, 4.7, 5, 6, 20]
        let result = LearningRateFinderResult(learningRates: rates, losses: losses, diverged: false)
        let g = LearningRateFinderResult.gradient(Array(losses[2..<11]), spacing: Array(rates[2..<11]))
        let expected = 2 + g.indices.min { g[$0] < g[$1] }!
        XCTAssertEqual(result.optimalIndex(skipBegin: 2, skipEnd: 1), expected)
        XCTAssertEqual(result.suggestion(skipBegin: 2, skipEnd: 1), rates[expected])
        XCTAssertNil(LearningRateFinderResult(learningRates: [1, 2], losses: [1, 2], diverged: false).suggestion(), "too few steps past the skipped ones")
    }

    func testSweepRatesFollowTheMode() {
        XCTAssertEqual(LearningRateSweepMode.exponential.rate(at: 0, of: 5, minimum: 1e-4, maximum: 1), 1e-4, accuracy: 1e-18)
        XCTAssertEqual(LearningRateSweepMode.exponential.rate(at: 2, of: 5, minimum: 1e-4, maximum: 1), 1e-2, accuracy: 1e-12)
        XCTAssertEqual(LearningRateSweepMode.exponential.rate(at: 4, of: 5, minimum: 1e-4, maximum: 1), 1, accuracy: 1e-12)
        XCTAssertEqual(LearningRateSweepMode.linear.rate(at: 2, of: 5, minimum: 0, maximum: 1), 0.5)
    }

    func testFindOnDigitsRestoresTheModelAndSuggestsARateThatTrains() throws {
        seedEverything(5)
        let model = Classifier()
        let before = model.stateDict().mapValues(\.scalars)
        let data = DigitsDataModule(batchSize: 64)
        let numTraining = 100
        // Lightning's rule takes the gradient with respect to the rate itself, which weighs the
        // small-rate end of an exponential sweep heavily (there noise of a thousandth in the loss
        // over a tiny step of rate is "steep"); a sweep starting where the loss begins to move,
        // 1e-3 for Adam here, gives a rate that trains.
        let result = try Tuner(trainer()).lrFind(model, datamodule: data, minLR: 1e-3, maxLR: 1, numTraining: numTraining)
        XCTAssertEqual(model.stateDict().mapValues(\.scalars), before, "the weights are put back")
        XCTAssertEqual(result.learningRates.count, result.losses.count)
        XCTAssertLessThanOrEqual(result.losses.count, numTraining)
        for (i, rate) in result.learningRates.enumerated() {
            XCTAssertEqual(rate, LearningRateSweepMode.exponential.rate(at: i, of: numTraining, minimum: 1e-3, maximum: 1), accuracy: rate * 1e-9)
        }
        let suggestion = try XCTUnwrap(result.suggestion())
        XCTAssertGreaterThan(suggestion, 1e-3)
        XCTAssertLessThan(suggestion, 1)

        // The suggested rate trains: a few epochs reach a good validation accuracy.
        model.learningRate = suggestion
        let fit = trainer()
        try fit.fit(model, datamodule: data)
        XCTAssertGreaterThan(fit.callbackMetrics["val_acc"] ?? 0, 0.9, "suggested rate \(suggestion)")

        let svg = result.svg()
        XCTAssertEqual(svg.components(separatedBy: "<path class=\"series\"").count - 1, 2, "the loss curve and the suggestion")
        XCTAssertNoThrow(try XMLDocument(xmlString: svg))
    }

    func testASweepThatDivergesStopsEarly() throws {
        seedEverything(5)
        let result = try Tuner(trainer()).lrFind(Classifier(), datamodule: DigitsDataModule(batchSize: 64), minLR: 1e-3, maxLR: 1e4, numTraining: 80)
        XCTAssertTrue(result.diverged)
        XCTAssertLessThan(result.losses.count, 80)
    }
}
