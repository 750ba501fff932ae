import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A run stopped mid-epoch and resumed from its last checkpoint continues exactly as the run
/// that was never stopped: same losses and same final weights, bit for bit.
final class ExactResumeTests: XCTestCase {
    struct Crash: Error {}

    /// Throws at the start of batch `batch` of epoch `epoch`, as a killed job would stop.
    final class CrashAt: Callback {
        let epoch: Int, batch: Int
        init(epoch: Int, batch: Int) { self.epoch = epoch; self.batch = batch }
        func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
            if trainer.currentEpoch == epoch && batchIndex == self.batch { throw Crash() }
        }
    }

    /// Dropout, a shuffled loader, ReduceLROnPlateau and EarlyStopping: every kind of state a
    /// resume must carry.
    func makeRun(directory: String, crash: CrashAt?) -> (RecordingClassifier, Trainer, (train: DataLoader<(Tensor, Tensor)>, val: DataLoader<(Tensor, Tensor)>)) {
        seedEverything(11)
        let model = RecordingClassifier(hidden: 16, lr: 0.2, dropout: 0.25)
        model.scheduler = { LRSchedulerConfig(ReduceLROnPlateau($0, factor: 0.5, patience: 0), interval: .epoch, monitor: "val_loss") }
        let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 12, valBatch: 5, maxEpochs: 3,
                                                       logEveryNSteps: 1, sanitySteps: 2), shuffle: true)
        var callbacks: [any Callback] = [
            EarlyStopping(monitor: "val_loss", minDelta: 0.001, patience: 5),
            ModelCheckpoint(dirpath: "\(directory)/checkpoints", saveTopK: -1, saveLast: true, everyNTrainSteps: 3),
        ]
        if let crash { callbacks.append(crash) }
        let trainer = Trainer(maxEpochs: 3, logEveryNSteps: 1, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: directory, callbacks: callbacks, logger: .logger(CSVLogger(saveDir: directory)))
        return (model, trainer, loaders)
    }

    func testResumeFromMidEpochCheckpointIsBitExact() throws {
        let straightDirectory = makeTemporaryDirectory()
        let (straight, straightTrainer, straightData) = makeRun(directory: straightDirectory.path, crash: nil)
        try straightTrainer.fit(straight, trainDataloaders: straightData.train, valDataloaders: straightData.val)
        XCTAssertEqual(straight.trainLosses.count, 21)

        let directory = makeTemporaryDirectory()
        let (first, firstTrainer, firstData) = makeRun(directory: directory.path, crash: CrashAt(epoch: 2, batch: 5))
        XCTAssertThrowsError(try firstTrainer.fit(first, trainDataloaders: firstData.train, valDataloaders: firstData.val)) { error in
            XCTAssertTrue(error is Crash, "\(error)")
        }
        // The last checkpoint was taken after global step 18 (epoch 2, batch 3).
        let last = try CheckpointIO.read(path: "\(directory.path)/checkpoints/last.ckpt")
        XCTAssertEqual(last.globalStep, 18)
        XCTAssertEqual(last.epoch, 2)

        let (resumed, resumedTrainer, resumedData) = makeRun(directory: directory.path, crash: nil)
        try resumedTrainer.fit(resumed, trainDataloaders: resumedData.train, valDataloaders: resumedData.val, ckptPath: "last")

        let combined = Array(first.trainLosses.prefix(18)) + resumed.trainLosses
        XCTAssertEqual(combined, straight.trainLosses)
        XCTAssertEqual(resumedTrainer.globalStep, straightTrainer.globalStep)
        XCTAssertEqual(resumedTrainer.currentEpoch, straightTrainer.currentEpoch)
        let expected = straight.stateDict(), actual = resumed.stateDict()
        XCTAssertEqual(actual.keys.sorted(), expected.keys.sorted())
        for (name, tensor) in expected {
            XCTAssertEqual(actual[name]?.scalars, tensor.scalars, name)
        }
        XCTAssertEqual(resumedTrainer.callbackMetrics, straightTrainer.callbackMetrics)
        XCTAssertEqual(resumedTrainer.optimizers[0].learningRates, straightTrainer.optimizers[0].learningRates)
        XCTAssertEqual(resumedTrainer.earlyStoppingCallback?.bestScore, straightTrainer.earlyStoppingCallback?.bestScore)
        XCTAssertEqual(resumedTrainer.earlyStoppingCallback?.waitCount, straightTrainer.earlyStoppingCallback?.waitCount)
    }
}
