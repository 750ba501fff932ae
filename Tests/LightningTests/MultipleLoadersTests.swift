import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// Several validation, test and predict loaders (the fixture's `multi_*`): the loaders run one
/// after the other, the steps and batch hooks get the loader's index, metric keys get Lightning's
/// `/dataloader_idx_N`, and `validate`/`test`/`predict` return one result per loader. Every
/// expectation is derived from the fixture's `sizes` and checked against what Lightning recorded,
/// then the same rules are run at other sizes.
final class MultipleLoadersTests: XCTestCase {
    /// The fixture's module, Linear(4, 8)-ReLU-Linear(8, 3) with SGD, recording the evaluation and
    /// predict hooks as `name(batch,loader)`.
    final class Classifier: LightningModule {
        let net = Sequential(Linear(4, 8), ReLU(), Linear(8, 3))
        var calls: [String] = []
        /// `log`'s `addDataloaderIdx` in the evaluation steps.
        var addDataloaderIdx = true
        /// The key validationStep logs under, from the loader's index.
        var validationKey: (Int) -> String = { _ in "val_loss" }
        /// A value logged in `onValidationEpochEnd`, outside any loader's batches.
        var epochEndKey: String?

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            log("train_loss", loss, onStep: true, onEpoch: true)
            return loss
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws {
            calls.append("validation_step(\(batchIndex),\(dataloaderIndex))")
            log(validationKey(dataloaderIndex), crossEntropy(logits: net(batch.0), targets: batch.1), progressBar: true,
                addDataloaderIdx: addDataloaderIdx)
        }
        func testStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws {
            calls.append("test_step(\(batchIndex),\(dataloaderIndex))")
            log("test_loss", crossEntropy(logits: net(batch.0), targets: batch.1))
        }
        func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws -> Tensor {
            calls.append("predict_step(\(batchIndex),\(dataloaderIndex))")
            return net(batch.0)
        }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }

        func onValidationEpochStart() throws { calls.append("on_validation_epoch_start") }
        func onValidationEpochEnd() throws {
            calls.append("on_validation_epoch_end")
            if let epochEndKey { log(epochEndKey, 1.0) }
        }
        func onValidationBatchStart(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws {
            calls.append("on_validation_batch_start(\(batchIndex),\(dataloaderIndex))")
        }
        func onValidationBatchEnd(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws {
            calls.append("on_validation_batch_end(\(batchIndex),\(dataloaderIndex))")
        }
    }

    /// A loader's sample count and batch size.
    struct Size {
        var samples: Int
        var batch: Int
        var batches: Int { (samples + batch - 1) / batch }
        /// The rows of each batch.
        var rows: [Int] { (0..<batches).map { min(batch, samples - $0 * batch) } }
    }

    /// The fixture's `train` size and its validation loaders' (`val0`, `val1`, … in order).
    func fixtureSizes() throws -> (train: Size, val: [Size]) {
        let fixture = try ParityFixture.load()
        let names = fixture.sizes.keys.filter { $0.hasPrefix("val") }.sorted()
        let train = try fixture.size("train")
        return (Size(samples: train.samples, batch: train.batch), try names.map { let s = try fixture.size($0); return Size(samples: s.samples, batch: s.batch) })
    }

    func loaders(_ sizes: [Size]) -> [DataLoader<(Tensor, Tensor)>] {
        sizes.enumerated().map { DataLoader(ScenarioData.dataset(count: $0.element.samples, seed: UInt64(2 + $0.offset)), batchSize: $0.element.batch) }
    }

    // MARK: Lightning's rules, from sizes

    /// The validation hooks of one run: each loader's batches in turn, between the epoch hooks.
    func validationCalls(_ val: [Size]) -> [String] {
        ["on_validation_epoch_start"]
            + val.enumerated().flatMap { loader, size in
                (0..<size.batches).flatMap { b in
                    ["on_validation_batch_start(\(b),\(loader))", "validation_step(\(b),\(loader))", "on_validation_batch_end(\(b),\(loader))"]
                }
            }
            + ["on_validation_epoch_end"]
    }

    func suffixed(_ key: String, loaders: Int) -> [String] { (0..<loaders).map { "\(key)/dataloader_idx_\($0)" } }

    /// One epoch's CSV rows with a step row per batch (`logEveryNSteps: 1`): the step rows, the
    /// validation row, the epoch row; each as `epoch`, `step`, then its metric keys sorted.
    func csvRowKeys(train: Size, loaders: Int) -> [[String]] {
        Array(repeating: ["epoch", "step", "train_loss_step"], count: train.batches)
            + [["epoch", "step"] + suffixed("val_loss", loaders: loaders), ["epoch", "step", "train_loss_epoch"]]
    }

    func predictShapes(_ sizes: [Size], classes: Int) -> [[[Int]]] { sizes.map { $0.rows.map { [$0, classes] } } }

    func predictCalls(_ sizes: [Size]) -> [String] {
        sizes.enumerated().flatMap { loader, size in (0..<size.batches).map { "predict_step(\($0),\(loader))" } }
    }

    /// The fixture's vocabulary of hook names (calls lose their arguments).
    func vocabulary(_ fixture: ParityFixture) -> Set<String> {
        Set((fixture.multi_fit_validation_calls + fixture.multi_predict_calls).map(SemanticsFixture.baseName))
    }

    // MARK: The scenario

    /// Fit one epoch with the validation loaders, then validate, test and predict with them.
    func runScenario(train: Size, val: [Size]) throws -> Scenario {
        let directory = makeTemporaryDirectory()
        seedEverything(3)
        let model = Classifier()
        let trainer = Trainer(maxEpochs: 1, numSanityValSteps: 0, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, logger: .logger(CSVLogger(saveDir: directory.path)))
        let valLoaders = loaders(val)
        try trainer.fit(model, trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch),
                        valDataloaders: valLoaders)
        var scenario = Scenario(fitCalls: model.calls, callbackKeys: trainer.callbackMetrics.keys.sorted(),
                                loggedKeys: trainer.loggedMetrics.keys.sorted(), progressBarKeys: trainer.progressBarMetrics.keys.sorted(),
                                csv: try CSVRows(path: "\(try XCTUnwrap(trainer.logger?.logDir))/metrics.csv"))
        model.calls = []
        scenario.validated = try trainer.validate(model, dataloaders: valLoaders, verbose: false)
        scenario.tested = try trainer.test(model, dataloaders: valLoaders, verbose: false)
        model.calls = []
        scenario.predicted = try trainer.predict(model, dataloaders: valLoaders)
        scenario.predictCalls = model.calls
        scenario.model = model
        scenario.trainer = trainer
        return scenario
    }

    struct Scenario {
        var fitCalls: [String]
        var callbackKeys: [String]
        var loggedKeys: [String]
        var progressBarKeys: [String]
        var csv: CSVRows
        var validated: [[String: Double]] = []
        var tested: [[String: Double]] = []
        var predicted: [[Tensor]] = []
        var predictCalls: [String] = []
        var model: Classifier?
        var trainer: Trainer?

        var csvRowKeys: [[String]] {
            csv.rows.map { row in ["epoch", "step"] + row.keys.filter { $0 != "epoch" && $0 != "step" }.sorted() }
        }
    }

    func testTheFixturesScenarioMatchesLightning() throws {
        let fixture = try ParityFixture.load()
        let (train, val) = try fixtureSizes()
        let n = val.count
        // The rules, applied to the fixture's sizes, give what Lightning recorded.
        XCTAssertEqual(validationCalls(val), fixture.multi_fit_validation_calls)
        XCTAssertEqual((["train_loss", "train_loss_epoch", "train_loss_step"] + suffixed("val_loss", loaders: n)).sorted(), fixture.multi_callback_metrics_keys)
        XCTAssertEqual((["train_loss_epoch", "train_loss_step"] + suffixed("val_loss", loaders: n)).sorted(), fixture.multi_logged_metrics_keys)
        XCTAssertEqual(suffixed("val_loss", loaders: n), fixture.multi_progress_bar_metrics_keys)
        XCTAssertEqual(["epoch", "step"] + fixture.multi_logged_metrics_keys, fixture.multi_metrics_csv_header)
        XCTAssertEqual(csvRowKeys(train: train, loaders: n), fixture.multi_metrics_csv_row_keys)
        XCTAssertEqual(suffixed("val_loss", loaders: n).map { [$0] }, fixture.multi_validate_return_keys)
        XCTAssertEqual(suffixed("test_loss", loaders: n).map { [$0] }, fixture.multi_test_return_keys)
        XCTAssertEqual(predictShapes(val, classes: 3), fixture.multi_predict_return_shapes)
        XCTAssertEqual(predictCalls(val), fixture.multi_predict_calls)

        let run = try runScenario(train: train, val: val)
        let vocabulary = vocabulary(fixture)
        XCTAssertEqual(run.fitCalls.filter { vocabulary.contains(SemanticsFixture.baseName($0)) }, fixture.multi_fit_validation_calls)
        XCTAssertEqual(run.callbackKeys, fixture.multi_callback_metrics_keys)
        XCTAssertEqual(run.loggedKeys, fixture.multi_logged_metrics_keys)
        XCTAssertEqual(run.progressBarKeys, fixture.multi_progress_bar_metrics_keys)
        XCTAssertEqual(run.csv.header, fixture.multi_metrics_csv_header)
        XCTAssertEqual(run.csvRowKeys, fixture.multi_metrics_csv_row_keys)
        XCTAssertEqual(run.validated.map { $0.keys.sorted() }, fixture.multi_validate_return_keys)
        XCTAssertEqual(run.tested.map { $0.keys.sorted() }, fixture.multi_test_return_keys)
        XCTAssertEqual(run.predicted.map { $0.map(\.shape) }, fixture.multi_predict_return_shapes)
        XCTAssertEqual(run.predictCalls.filter { vocabulary.contains(SemanticsFixture.baseName($0)) }, fixture.multi_predict_calls)
    }

    /// Three loaders at sizes the fixture lacks: the same rules hold.
    func testTheRulesHoldAtOtherSizes() throws {
        let fixture = try ParityFixture.load()
        let train = Size(samples: 14, batch: 4), val = [Size(samples: 7, batch: 3), Size(samples: 5, batch: 2), Size(samples: 4, batch: 4)]
        let run = try runScenario(train: train, val: val)
        let vocabulary = vocabulary(fixture)
        XCTAssertEqual(run.fitCalls.filter { vocabulary.contains(SemanticsFixture.baseName($0)) }, validationCalls(val))
        XCTAssertEqual(run.callbackKeys, (["train_loss", "train_loss_epoch", "train_loss_step"] + suffixed("val_loss", loaders: 3)).sorted())
        XCTAssertEqual(run.progressBarKeys, suffixed("val_loss", loaders: 3))
        XCTAssertEqual(run.csvRowKeys, csvRowKeys(train: train, loaders: 3))
        XCTAssertEqual(run.validated.map { $0.keys.sorted() }, suffixed("val_loss", loaders: 3).map { [$0] })
        XCTAssertEqual(run.predicted.map { $0.map(\.shape) }, predictShapes(val, classes: 3))
        XCTAssertEqual(run.predictCalls, predictCalls(val))
    }

    /// Each loader's value is the value that loader gives alone (the batch-size-weighted mean of
    /// its own batches), and predictions are each loader's alone.
    func testEachLoadersValuesAreItsOwn() throws {
        let (train, val) = try fixtureSizes()
        let run = try runScenario(train: train, val: val)
        let model = try XCTUnwrap(run.model), trainer = try XCTUnwrap(run.trainer)
        for (index, loader) in loaders(val).enumerated() {
            let alone = try trainer.validate(model, dataloaders: loader, verbose: false)
            XCTAssertEqual(alone.map { $0.keys.sorted() }, [["val_loss"]], "one loader keeps the plain key")
            XCTAssertEqual(try XCTUnwrap(run.validated[index]["val_loss/dataloader_idx_\(index)"]), try XCTUnwrap(alone[0]["val_loss"]), accuracy: 1e-9)
            let expected = noGrad { loader.map { model.net($0.0).scalars } }
            XCTAssertEqual(run.predicted[index].map(\.scalars), expected)
        }
        // One loader passed as an array is a one-loader run: plain keys, loader index 0.
        model.calls = []
        let one = try trainer.validate(model, dataloaders: [loaders(val)[0]], verbose: false)
        XCTAssertEqual(one.map { $0.keys.sorted() }, [["val_loss"]])
        XCTAssertEqual(model.calls.filter { $0.hasPrefix("validation_step") }, (0..<val[0].batches).map { "validation_step(\($0),0)" })
    }

    /// `limitValBatches` and `numSanityValSteps` apply to each loader, as in Lightning.
    func testTheLimitAppliesToEachLoader() throws {
        let (_, val) = try fixtureSizes()
        let model = Classifier()
        let trainer = Trainer(limitValBatches: .count(1), enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.validate(model, dataloaders: loaders(val), verbose: false)
        XCTAssertEqual(model.calls.filter { $0.hasPrefix("validation_step") }, val.indices.map { "validation_step(0,\($0))" })

        // So does numSanityValSteps: the sanity check runs that many batches of every loader.
        let (train, _) = try fixtureSizes()
        let fitted = Classifier()
        let sanity = 1
        let fitter = Trainer(maxEpochs: 1, limitTrainBatches: .count(1), numSanityValSteps: sanity, enableCheckpointing: false, enableProgressBar: false,
                             enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try fitter.fit(fitted, trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch),
                       valDataloaders: loaders(val))
        let sanityCalls = val.indices.flatMap { loader in (0..<min(sanity, val[loader].batches)).map { "validation_step(\($0),\(loader))" } }
        XCTAssertEqual(fitted.calls.filter { $0.hasPrefix("validation_step") }, sanityCalls + validationCalls(val).filter { $0.hasPrefix("validation_step") })
    }

    /// Values logged outside any loader's batches (an epoch-end hook) go to every loader's result
    /// without a suffix; `addDataloaderIdx: false` keeps keys plain, and then each loader needs
    /// its own key.
    func testEpochLevelValuesAndPlainKeys() throws {
        let (_, val) = try fixtureSizes()
        let trainer = Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        let model = Classifier()
        model.epochEndKey = "val_epoch_end"
        model.addDataloaderIdx = false
        model.validationKey = { "val_loss_\($0)" }
        let results = try trainer.validate(model, dataloaders: loaders(val), verbose: false)
        XCTAssertEqual(results.map { $0.keys.sorted() }, val.indices.map { ["val_epoch_end", "val_loss_\($0)"] })

        model.validationKey = { _ in "val_loss" }
        XCTAssertThrowsError(try trainer.validate(model, dataloaders: loaders(val), verbose: false)) { error in
            XCTAssertTrue("\(error)".contains("val_loss") && "\(error)".contains("give each loader its own key"), "\(error)")
        }
    }

    /// A module with only the one-loader steps cannot tell several loaders apart: an error naming
    /// the step to implement, before any metric is kept.
    func testAOneLoaderModuleGivenSeveralLoadersIsAnError() throws {
        let (_, val) = try fixtureSizes()
        let trainer = Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        let model = RecordingClassifier()
        XCTAssertThrowsError(try trainer.validate(model, dataloaders: loaders(val), verbose: false)) { error in
            XCTAssertTrue("\(error)".contains("validationStep(_:batchIndex:dataloaderIndex:)"), "\(error)")
        }
        XCTAssertThrowsError(try trainer.predict(model, dataloaders: loaders(val))) { error in
            XCTAssertTrue("\(error)".contains("predictStep(_:batchIndex:dataloaderIndex:)"), "\(error)")
        }
        // The same module with one loader runs as before.
        XCTAssertEqual(try trainer.validate(model, dataloaders: loaders(val)[0], verbose: false).count, 1)
    }

    /// A DataModule that returns several loaders: fit, validate and test use them all;
    /// `predictEachLoader` returns one list per loader, and the one-list `predict` refuses them.
    func testADataModuleCanReturnSeveralLoaders() throws {
        final class Data: DataModule {
            let train: DataLoader<(Tensor, Tensor)>
            let evaluation: [DataLoader<(Tensor, Tensor)>]
            init(train: DataLoader<(Tensor, Tensor)>, evaluation: [DataLoader<(Tensor, Tensor)>]) {
                self.train = train
                self.evaluation = evaluation
            }
            func trainDataLoader() throws -> DataLoader<(Tensor, Tensor)>? { train }
            func valDataLoaders() throws -> [DataLoader<(Tensor, Tensor)>] { evaluation }
            func testDataLoaders() throws -> [DataLoader<(Tensor, Tensor)>] { evaluation }
            func predictDataLoaders() throws -> [DataLoader<(Tensor, Tensor)>] { evaluation }
        }
        let (train, val) = try fixtureSizes()
        let data = Data(train: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch), evaluation: loaders(val))
        let model = Classifier()
        let trainer = Trainer(maxEpochs: 1, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.fit(model, datamodule: data)
        XCTAssertEqual(trainer.callbackMetrics.keys.filter { $0.hasPrefix("val") }.sorted(), suffixed("val_loss", loaders: val.count))
        XCTAssertEqual(try trainer.validate(model, datamodule: data, verbose: false).map { $0.keys.sorted() },
                       suffixed("val_loss", loaders: val.count).map { [$0] })
        XCTAssertEqual(try trainer.test(model, datamodule: data, verbose: false).count, val.count)
        XCTAssertEqual(try trainer.predictEachLoader(model, datamodule: data).map { $0.map(\.shape) }, predictShapes(val, classes: 3))
        XCTAssertThrowsError(try trainer.predict(model, datamodule: data)) { error in
            XCTAssertTrue("\(error)".contains("predictEachLoader"), "\(error)")
        }
        // Without a module the fitted one runs on every loader.
        XCTAssertEqual(try trainer.validate(dataloaders: loaders(val), verbose: false).count, val.count)
        XCTAssertEqual(try trainer.predict(dataloaders: loaders(val)).map(\.count), val.map(\.batches))
    }

    // MARK: With the Trainer's loader options

    /// A data module whose validation loaders grow by one batch per request (loader `i` of
    /// request `k`, 1-based, has `base[i].batches + k - 1` batches), recording each request's epoch.
    final class GrowingLoaders: DataModule {
        let train: Size
        let base: [Size]
        weak var model: LightningModuleBase?
        var trainRequests: [Int] = []
        var valRequests: [Int] = []

        init(train: Size, base: [Size]) {
            self.train = train
            self.base = base
        }

        /// The validation loaders' sizes at request `k` (1-based).
        func valSizes(request k: Int) -> [Size] { base.map { Size(samples: $0.samples + (k - 1) * $0.batch, batch: $0.batch) } }

        func trainDataLoader() throws -> DataLoader<(Tensor, Tensor)>? {
            trainRequests.append(model?.currentEpoch ?? -1)
            return DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch, shuffle: true)
        }
        func valDataLoaders() throws -> [DataLoader<(Tensor, Tensor)>] {
            valRequests.append(model?.currentEpoch ?? -1)
            return valSizes(request: valRequests.count).enumerated().map {
                DataLoader(ScenarioData.dataset(count: $0.element.samples, seed: UInt64(2 + $0.offset)), batchSize: $0.element.batch)
            }
        }
    }

    /// `reloadDataloadersEveryNEpochs` with the fixture's validation loaders: every n epochs both
    /// are requested again together, and each validation run goes over every loader of the latest
    /// request, one after the other.
    func testSeveralValidationLoadersAreReloadedEveryNEpochs() throws {
        let (train, val) = try fixtureSizes()
        let epochs = 4
        for every in [0, 1, 2, 3] {
            let data = GrowingLoaders(train: train, base: val)
            let model = Classifier()
            data.model = model
            let trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, reloadDataloadersEveryNEpochs: every, enableCheckpointing: false,
                                  enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
            try trainer.fit(model, datamodule: data)
            let requests = every == 0 ? [0] : Array(stride(from: 0, to: epochs, by: every))
            XCTAssertEqual(data.trainRequests, requests, "every \(every)")
            XCTAssertEqual(data.valRequests, requests, "every \(every): every epoch validates, so the loaders follow the same rule")
            // Epoch e validates on the loaders of the last request at or before it.
            let sizesPerEpoch = (0..<epochs).map { epoch in data.valSizes(request: requests.filter { $0 <= epoch }.count) }
            XCTAssertEqual(model.calls, sizesPerEpoch.flatMap(validationCalls),
                           "every \(every)")
            XCTAssertEqual(trainer.numValBatches, sizesPerEpoch.last?.reduce(0) { $0 + $1.batches }, "all loaders of the last request")
            XCTAssertEqual(trainer.callbackMetrics.keys.filter { $0.hasPrefix("val") }.sorted(), suffixed("val_loss", loaders: val.count))
            XCTAssertEqual(trainer.globalStep, train.batches * epochs)
        }
    }

    /// The inputs of each validation batch, by loader, one list per validation run.
    final class ValidationInputs: Callback {
        var runs: [[[[Float]]]] = []
        func onValidationEpochStart(trainer: Trainer, module: LightningModuleBase) throws { runs.append([]) }
        func onValidationBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
            while runs[runs.count - 1].count <= dataloaderIndex { runs[runs.count - 1].append([]) }
            runs[runs.count - 1][dataloaderIndex].append(try XCTUnwrap(batch as? (Tensor, Tensor)).0.scalars)
        }
    }

    /// `overfitBatches` with the fixture's two validation loaders, shuffled: every epoch each
    /// loader runs its own first `overfitBatches` batches in index order (Lightning's
    /// `limit_val_batches = overfit_batches`, per loader), and shuffling is turned off with one
    /// warning per stage.
    func testOverfitBatchesAppliesToEachValidationLoader() throws {
        let (train, val) = try fixtureSizes()
        let epochs = 2
        let datasets = val.indices.map { ScenarioData.dataset(count: val[$0].samples, seed: UInt64(2 + $0)) }
        for overfit: BatchLimit in [.count(1), .count(2), .fraction(0.5), .count(max(train.batches, val.map(\.batches).max() ?? 0) + 1)] {
            seedEverything(4)
            let inputs = ValidationInputs()
            let trainer = Trainer(maxEpochs: epochs, overfitBatches: overfit, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false,
                                  enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, callbacks: [inputs], logger: false)
            let model = Classifier()
            let lines = LineRecorder()
            try lines.capturingTrainerLog {
                try trainer.fit(model, trainDataloaders: DataLoader(ScenarioData.dataset(count: train.samples, seed: 1), batchSize: train.batch, shuffle: true),
                                valDataloaders: val.indices.map { DataLoader(datasets[$0], batchSize: val[$0].batch, shuffle: true) })
            }
            let context = "overfit \(overfit)"
            let perLoader = val.map { overfit.batches(of: $0.batches) }
            let epochCalls = val.indices.flatMap { loader in (0..<perLoader[loader]).map { "validation_step(\($0),\(loader))" } }
            XCTAssertEqual(model.calls.filter { $0.hasPrefix("validation_step") }, Array(repeating: epochCalls, count: epochs).flatMap { $0 }, context)
            XCTAssertEqual(trainer.numValBatches, perLoader.reduce(0, +), context)
            XCTAssertEqual(trainer.globalStep, overfit.batches(of: train.batches) * epochs, context)
            // Each loader's first batches in index order, the same every epoch.
            let first = val.indices.map { loader in
                (0..<perLoader[loader]).map { b in
                    datasets[loader].batch(at: Array((b * val[loader].batch)..<min(val[loader].samples, (b + 1) * val[loader].batch)))!.0.scalars
                }
            }
            XCTAssertEqual(inputs.runs, Array(repeating: first, count: epochs), context)
            XCTAssertEqual(lines.lines.filter { $0.hasPrefix("warning") }, ["train", "val"].map {
                "warning: You requested to overfit but enabled \($0) dataloader shuffling. We are turning off the \($0) dataloader shuffling for you.\n"
            }, context)
        }
    }
}
