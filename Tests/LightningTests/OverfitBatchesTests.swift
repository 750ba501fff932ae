import Foundation
@testable import Lightning
import LightningTestSupport
import XCTest

/// `overfitBatches`: the fixture's `overfit_batches_2` (`overfit_batches=2`, 2 epochs, training
/// on `train`, validation on `val0`) with its step counts derived from the loaders' sizes and
/// checked at other sizes too; the same first batches every epoch, unshuffled, for training and
/// validation; the limits it replaces and the warning Lightning gives.
final class OverfitBatchesTests: XCTestCase {
    /// The scenario the fixture's key names (see the reference README).
    static let scenarioOverfit = 2, scenarioEpochs = 2

    /// The parts of the parity fixture these tests read.
    struct Fixture: Decodable {
        struct Counts: Decodable {
            let training_steps: Int
            let validation_steps: Int
            let global_step: Int
        }
        let sizes: [String: [Int]]
        let overfit_batches_2: Counts

        static func load() throws -> Fixture {
            let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/lightning_semantics_parity", withExtension: "json"))
            return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        }
    }

    /// Every training and validation batch's inputs, by epoch.
    final class BatchRecorder: Callback {
        var training: [[[Float]]] = []
        var validation: [[[Float]]] = []
        func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws { training.append([]) }
        func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
            training[training.count - 1].append(try XCTUnwrap(batch as? (Tensor, Tensor)).0.scalars)
        }
        func onValidationEpochStart(trainer: Trainer, module: LightningModuleBase) throws { validation.append([]) }
        func onValidationBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
            validation[validation.count - 1].append(try XCTUnwrap(batch as? (Tensor, Tensor)).0.scalars)
        }
    }

    /// The inputs of the first `count` batches of `dataset` in index order.
    func firstBatches(_ dataset: TensorDataset<(Tensor, Tensor)>, batchSize: Int, count: Int) -> [[Float]] {
        (0..<count).map { b in
            let rows = Array((b * batchSize)..<min(dataset.count, (b + 1) * batchSize))
            return dataset.batch(at: rows)!.0.scalars
        }
    }

    struct Run {
        let trainer: Trainer
        let model: RecordingClassifier
        let batches: BatchRecorder
        let warnings: [String]
    }

    /// A fit with shuffled training data and `overfit`, as the fixture's scenario.
    func fit(train: (samples: Int, batch: Int), val: (samples: Int, batch: Int), overfit: BatchLimit, epochs: Int,
             limits: BatchLimit = 1.0, fastDevRun: Int = 0) throws -> Run {
        seedEverything(4)
        let recorder = BatchRecorder()
        let trainer = Trainer(maxEpochs: epochs, limitTrainBatches: limits, limitValBatches: limits, overfitBatches: overfit, numSanityValSteps: 0,
                              fastDevRun: fastDevRun, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, callbacks: [recorder], logger: false)
        let model = RecordingClassifier()
        let lines = LineRecorder()
        try lines.capturingTrainerLog {
            try trainer.fit(model, trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch, shuffle: true),
                            valDataloaders: DataLoader(ScenarioData.dataset(count: val.samples, seed: 2), batchSize: val.batch))
        }
        return Run(trainer: trainer, model: model, batches: recorder, warnings: lines.lines.filter { $0.hasPrefix("warning") })
    }

    /// Steps of each kind over the whole fit, from the sizes: every epoch runs the overfit count of
    /// each loader's batches (capped by what the loader has).
    func expected(train: (samples: Int, batch: Int), val: (samples: Int, batch: Int), overfit: BatchLimit, epochs: Int)
        -> (training: Int, validation: Int) {
        let trainBatches = (train.samples + train.batch - 1) / train.batch
        let valBatches = (val.samples + val.batch - 1) / val.batch
        return (overfit.batches(of: trainBatches) * epochs, overfit.batches(of: valBatches) * epochs)
    }

    func check(train: (samples: Int, batch: Int), val: (samples: Int, batch: Int), overfit: BatchLimit, epochs: Int) throws -> Run {
        let context = "train \(train), val \(val), overfit \(overfit)"
        let run = try fit(train: train, val: val, overfit: overfit, epochs: epochs)
        let steps = expected(train: train, val: val, overfit: overfit, epochs: epochs)
        XCTAssertEqual(run.model.calls.filter { $0.hasPrefix("training_step") }.count, steps.training, context)
        XCTAssertEqual(run.model.calls.filter { $0.hasPrefix("validation_step") }.count, steps.validation, context)
        XCTAssertEqual(run.trainer.globalStep, steps.training, context)
        // Every epoch trains on the same first batches, in index order although the loader shuffles.
        let trainFirst = firstBatches(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch, count: steps.training / epochs)
        XCTAssertEqual(run.batches.training, Array(repeating: trainFirst, count: epochs), context)
        let valFirst = firstBatches(ScenarioData.dataset(count: val.samples, seed: 2), batchSize: val.batch, count: steps.validation / epochs)
        XCTAssertEqual(run.batches.validation, Array(repeating: valFirst, count: epochs), context)
        XCTAssertEqual(run.warnings, ["warning: You requested to overfit but enabled train dataloader shuffling. "
                                      + "We are turning off the train dataloader shuffling for you.\n"], context)
        return run
    }

    func testTheFixturesScenarioAndOtherSizes() throws {
        let fixture = try Fixture.load()
        let train = (samples: fixture.sizes["train"]![0], batch: fixture.sizes["train"]![1])
        let val = (samples: fixture.sizes["val0"]![0], batch: fixture.sizes["val0"]![1])
        let overfit = BatchLimit.count(Self.scenarioOverfit)
        let rule = expected(train: train, val: val, overfit: overfit, epochs: Self.scenarioEpochs)
        XCTAssertEqual(rule.training, fixture.overfit_batches_2.training_steps, "the rule gives Lightning's recorded counts")
        XCTAssertEqual(rule.validation, fixture.overfit_batches_2.validation_steps)
        XCTAssertEqual(rule.training, fixture.overfit_batches_2.global_step)

        let run = try check(train: train, val: val, overfit: overfit, epochs: Self.scenarioEpochs)
        XCTAssertEqual(run.trainer.globalStep, fixture.overfit_batches_2.global_step)
        // The same rule at other sizes, counts and a fraction.
        for (t, v, o) in [((7, 3), (5, 2), BatchLimit.count(1)), ((30, 4), (9, 4), .count(3)), ((9, 2), (13, 3), .fraction(0.5)),
                          ((5, 2), (3, 2), .count(5))] {
            _ = try check(train: (t.0, t.1), val: (v.0, v.1), overfit: o, epochs: 3)
        }
    }

    func testOverfitReplacesTheTrainingAndValidationLimitsOnly() {
        let trainer = Trainer(limitTrainBatches: 5, limitValBatches: 0.1, limitTestBatches: 4, limitPredictBatches: 3, overfitBatches: 2,
                              fastDevRun: 7, enableCheckpointing: false, logger: false)
        XCTAssertEqual(trainer.batchLimit(.train), .count(2), "overfitBatches replaces fastDevRun's count for training")
        XCTAssertEqual(trainer.batchLimit(.validation), .count(2))
        XCTAssertEqual(trainer.batchLimit(.test), .count(7), "test keeps fastDevRun's count")
        XCTAssertEqual(trainer.batchLimit(.predict), .count(7))
        let off = Trainer(limitTrainBatches: 5, limitValBatches: 0.1, overfitBatches: 0.0, enableCheckpointing: false, logger: false)
        XCTAssertEqual(off.batchLimit(.train), .count(5), "0 is off")
        XCTAssertEqual(off.batchLimit(.validation), .fraction(0.1))
    }

    func testFastDevRunKeepsItsStepLimitWhileOverfitSetsTheBatches() throws {
        // fast_dev_run n still means n steps in one epoch (Lightning's max_steps = n); overfit_batches
        // picks more batches than that, so the steps end the epoch before them.
        let fastDevRun = 2
        let run = try fit(train: (12, 2), val: (6, 2), overfit: .count(fastDevRun + 1), epochs: 5, fastDevRun: fastDevRun)
        XCTAssertEqual(run.trainer.globalStep, fastDevRun)
        XCTAssertEqual(run.batches.training.map(\.count), [fastDevRun])
    }

    func testASequentialLoaderIsKeptWithoutAWarning() throws {
        let trainer = Trainer(maxEpochs: 1, overfitBatches: 1, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        let lines = LineRecorder()
        try lines.capturingTrainerLog {
            try trainer.fit(RecordingClassifier(), trainDataloaders: DataLoader(ScenarioData.dataset(count: 8, seed: 1), batchSize: 4))
        }
        XCTAssertEqual(lines.lines.filter { $0.hasPrefix("warning") }, [])
        XCTAssertEqual(trainer.globalStep, 1)
    }

    func testNegativeOrTooLargeValuesAreArgumentErrors() {
        for bad: BatchLimit in [.count(-1), .fraction(1.5)] {
            let trainer = Trainer(overfitBatches: bad, enableCheckpointing: false, logger: false)
            XCTAssertThrowsError(try trainer.checkArguments()) { XCTAssertTrue("\($0)".contains("overfitBatches"), "\($0)") }
        }
    }
}
