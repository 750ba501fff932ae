import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `seedEverything`: initialization, dropout and shuffling all follow the seed.
final class SeedEverythingTests: XCTestCase {
    func run(seed: UInt64) throws -> (losses: [Float], weights: [String: [Float]]) {
        seedEverything(seed)
        let model = RecordingClassifier(hidden: 8, lr: 0.1, dropout: 0.2)
        let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 2,
                                                       logEveryNSteps: 1, sanitySteps: 0), shuffle: true)
        let trainer = Trainer(maxEpochs: 2, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.fit(model, trainDataloaders: loaders.train, valDataloaders: loaders.val)
        return (model.trainLosses, model.stateDict().mapValues(\.scalars))
    }

    func testOneSeedGivesIdenticalRunsAndAnotherSeedDifferentOnes() throws {
        let first = try run(seed: 42)
        let again = try run(seed: 42)
        XCTAssertEqual(first.losses.count, 14)
        XCTAssertEqual(again.losses, first.losses)
        XCTAssertEqual(again.weights, first.weights)

        let other = try run(seed: 43)
        XCTAssertNotEqual(other.losses, first.losses)
        for name in first.weights.keys { XCTAssertNotEqual(other.weights[name], first.weights[name], name) }
    }
}
