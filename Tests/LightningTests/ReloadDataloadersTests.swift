import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `reloadDataloadersEveryNEpochs`: the data module's training and validation loaders are
/// requested again once n epochs have passed since the last request (Lightning's
/// `_should_reload_train_dl` / `_should_reload_val_dl`), and the loops use the new loaders.
final class ReloadDataloadersTests: XCTestCase {
    /// A data module whose every request returns a loader one batch longer than the last, and
    /// which records the epoch of each request.
    final class GrowingData: DataModule {
        let batchSize = 2
        weak var model: LightningModuleBase?
        var trainRequests: [Int] = []
        var valRequests: [Int] = []

        func trainDataLoader() throws -> DataLoader<(Tensor, Tensor)>? {
            trainRequests.append(model?.currentEpoch ?? -1)
            return DataLoader(ScenarioData.dataset(count: batchSize * trainRequests.count, seed: 1), batchSize: batchSize, shuffle: true)
        }
        func valDataLoader() throws -> DataLoader<(Tensor, Tensor)>? {
            valRequests.append(model?.currentEpoch ?? -1)
            return DataLoader(ScenarioData.dataset(count: batchSize * valRequests.count, seed: 2), batchSize: batchSize)
        }
    }

    func fit(epochs: Int, every: Int, checkValEveryNEpoch: Int? = 1, sanitySteps: Int = 0) throws -> (GrowingData, RecordingClassifier, Trainer) {
        let model = RecordingClassifier()
        let data = GrowingData()
        data.model = model
        let trainer = Trainer(maxEpochs: epochs, checkValEveryNEpoch: checkValEveryNEpoch, numSanityValSteps: sanitySteps,
                              reloadDataloadersEveryNEpochs: every, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.fit(model, datamodule: data)
        return (data, model, trainer)
    }

    func testLoadersAreRequestedEveryNEpochsAndUsed() throws {
        let epochs = 5
        for every in [0, 1, 2, 3] {
            let (data, model, trainer) = try fit(epochs: epochs, every: every)
            // Requested when the fit starts, then at every n-th epoch.
            let requests = every == 0 ? [0] : Array(stride(from: 0, to: epochs, by: every))
            XCTAssertEqual(data.trainRequests, requests, "every \(every)")
            XCTAssertEqual(data.valRequests, requests, "every \(every): each epoch validates, so its loader follows the same rule")
            // Request k (1-based) has k batches; epoch e trains on the loader of the last request at or before e.
            let batchesPerEpoch = (0..<epochs).map { epoch in requests.filter { $0 <= epoch }.count }
            XCTAssertEqual(model.calls.filter { $0.hasPrefix("training_step") }.count, batchesPerEpoch.reduce(0, +), "every \(every)")
            XCTAssertEqual(model.calls.filter { $0.hasPrefix("validation_step") }.count, batchesPerEpoch.reduce(0, +), "every \(every)")
            XCTAssertEqual(trainer.numTrainingBatches, batchesPerEpoch.last)
            XCTAssertEqual(trainer.numValBatches, batchesPerEpoch.last)
        }
    }

    func testValidationLoaderFollowsTheEpochsThatValidate() throws {
        // Validation in every second epoch (1, 3, 5): the loader requested at the start does not
        // count for an epoch that does not validate, so the first validation requests it again,
        // and later ones once n epochs have passed since (Lightning's rule).
        let epochs = 6, checkEvery = 2
        let validating = (0..<epochs).filter { ($0 + 1) % checkEvery == 0 }
        for every in [1, 2, 4] {
            let (data, _, _) = try fit(epochs: epochs, every: every, checkValEveryNEpoch: checkEvery)
            var expected = [0], last: Int?
            for epoch in validating where last.map({ epoch - $0 >= every }) ?? true {
                expected.append(epoch)
                last = epoch
            }
            XCTAssertEqual(data.valRequests, expected, "every \(every)")
            XCTAssertEqual(data.trainRequests, Array(stride(from: 0, to: epochs, by: every)), "every \(every)")
        }
    }

    func testANegativeCountIsAnArgumentError() {
        let trainer = Trainer(reloadDataloadersEveryNEpochs: -1, enableCheckpointing: false, logger: false)
        XCTAssertThrowsError(try trainer.fit(RecordingClassifier(), datamodule: GrowingData())) {
            XCTAssertTrue("\($0)".contains("reloadDataloadersEveryNEpochs -1 must be >= 0"), "\($0)")
        }
    }
}
