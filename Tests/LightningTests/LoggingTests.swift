import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// A module that runs, in each step or hook, whatever `log` calls a test gives it.
final class LoggingProbe: LightningModule {
    let net = Linear(4, 3)
    /// Hook name (Lightning's) → what to do there, given the batch index (-1 outside batches).
    var actions: [String: (LoggingProbe, Int) -> Void] = [:]

    private func run(_ hook: String, _ index: Int = -1) { actions[hook]?(self, index) }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        run("training_step", batchIndex)
        return crossEntropy(logits: net(batch.0), targets: batch.1)
    }
    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws { run("validation_step", batchIndex) }
    func configureOptimizers() -> OptimizerConfig {
        run("configure_optimizers")
        return .init(SGD(parameters(), lr: 0.1))
    }
    func onFitStart() throws { run("on_fit_start") }
    func onTrainEpochEnd() throws { run("on_train_epoch_end") }
}

/// A batch whose size the Trainer cannot infer.
struct PairBatch {
    let x: Tensor
    let y: Tensor
}

/// Logs an epoch mean from `PairBatch`es, with `batchSize` when given.
final class PairBatchModule: LightningModule {
    let net = Linear(4, 3)
    var batchSize: Int?
    func trainingStep(_ batch: PairBatch, batchIndex: Int) throws -> Tensor {
        let loss = crossEntropy(logits: net(batch.x), targets: batch.y)
        log("loss", loss, onStep: false, onEpoch: true, batchSize: batchSize)
        return loss
    }
    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
}

/// `log` and `logDict`: where they may be called, what they default to, how epoch values reduce,
/// and the errors that name the key and the hook.
final class LoggingTests: XCTestCase {
    /// 7 training batches of 4; 3 validation batches of 5, 5 and 2.
    let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 12, valBatch: 5, maxEpochs: 1,
                                                   logEveryNSteps: 1, sanitySteps: 0))

    func fit(_ probe: LoggingProbe, epochs: Int = 1) throws -> Trainer {
        let trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.fit(probe, trainDataloaders: loaders.train, valDataloaders: loaders.val)
        return trainer
    }

    func error(_ actions: [String: (LoggingProbe, Int) -> Void]) -> String {
        let probe = LoggingProbe()
        probe.actions = actions
        do { _ = try fit(probe) } catch { return "\(error)" }
        XCTFail("expected an error")
        return ""
    }

    func testLogOutsideARunWarnsAndIsIgnored() throws {
        let probe = LoggingProbe()
        let warnings = LineRecorder()
        warnings.capturingTrainerLog { probe.log("logged_before_fit", 3.0) }
        XCTAssertEqual(warnings.lines, ["warning: log(\"logged_before_fit\") was called outside a Trainer run; the value is ignored\n"])
        let trainer = try fit(probe)
        XCTAssertNil(trainer.callbackMetrics["logged_before_fit"])
    }

    func testLogInAHookThatDoesNotSupportItIsAnErrorNamingKeyAndHook() {
        XCTAssertEqual(error(["configure_optimizers": { probe, _ in probe.log("lr", 0.1) }]),
                       "log(\"lr\") in configure_optimizers: logging is not supported here; log from a step or a batch or epoch hook")
        XCTAssertEqual(error(["on_fit_start": { probe, _ in probe.log("ready", 1.0) }]),
                       "log(\"ready\") in on_fit_start: logging is not supported here; log from a step or a batch or epoch hook")
        XCTAssertEqual(error(["on_train_epoch_end": { probe, _ in probe.log("per_step", 1.0, onStep: true) }]),
                       "log(\"per_step\") in on_train_epoch_end: onStep: true is not supported here (this hook runs once per epoch)")
    }

    func testNonScalarTensorIsAnErrorNamingKeyHookAndShape() {
        XCTAssertEqual(error(["training_step": { probe, _ in probe.log("weights", Tensor(shape: [2, 3], scalars: Array(repeating: 0, count: 6))) }]),
                       "log(\"weights\") in training_step: expected a scalar tensor, got shape [2, 3]")
    }

    func testBatchSizeMustBeGivenWhenTheBatchDoesNotSayIt() throws {
        let loader = DataLoader(ScenarioData.dataset(count: 10, seed: 1), batchSize: 4) { samples -> PairBatch in
            let (x, y) = LightningData.collate(samples)
            return PairBatch(x: x, y: y)
        }
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, logger: false)
        XCTAssertThrowsError(try trainer.fit(PairBatchModule(), trainDataloaders: loader)) { error in
            XCTAssertEqual("\(error)", "log(\"loss\") in training_step: cannot infer the batch size from a batch of type PairBatch; pass batchSize:")
        }
        let sized = PairBatchModule()
        sized.batchSize = 4
        try trainer.fit(sized, trainDataloaders: loader)
        XCTAssertNotNil(trainer.callbackMetrics["loss"])
    }

    func testEpochReductionsAndBatchSizeWeighting() throws {
        let probe = LoggingProbe()
        probe.actions["validation_step"] = { probe, index in
            probe.log("val_mean", Double(index))
            probe.log("val_max", Double(10 - index), reduce: .max)
            probe.log("val_min", Double(10 - index), reduce: .min)
            probe.log("val_sum", Double(index + 1), reduce: .sum)
        }
        let metrics = try fit(probe).callbackMetrics
        XCTAssertEqual(metrics["val_mean"], 9.0 / 12, "(0·5 + 1·5 + 2·2) / 12: weighted by the batch sizes 5, 5, 2")
        XCTAssertEqual(metrics["val_max"], 10)
        XCTAssertEqual(metrics["val_min"], 8)
        XCTAssertEqual(metrics["val_sum"], 1 + 2 + 3)
    }

    func testPerHookDefaultsAndLogDict() throws {
        let probe = LoggingProbe()
        probe.actions["training_step"] = { probe, index in
            probe.log("train_value", Double(index))
            probe.logDict(["dict_a": 1.0, "dict_b": Double(index)], onStep: true, onEpoch: true)
        }
        probe.actions["validation_step"] = { probe, index in probe.log("val_value", Double(index)) }
        probe.actions["on_train_epoch_end"] = { probe, _ in probe.log("epoch_value", 5.0) }
        let trainer = try fit(probe)
        // training_step: step only; validation_step and epoch hooks: epoch only; both on: _step and _epoch keys.
        XCTAssertEqual(trainer.callbackMetrics.keys.sorted(), ["dict_a", "dict_a_epoch", "dict_a_step", "dict_b", "dict_b_epoch", "dict_b_step",
                                                               "epoch_value", "train_value", "val_value"])
        XCTAssertEqual(trainer.callbackMetrics["train_value"], 6, "the last step's value")
        XCTAssertEqual(trainer.callbackMetrics["dict_b_epoch"], 3, "the mean of 0…6")
        XCTAssertEqual(trainer.callbackMetrics["dict_b_step"], 6)
        XCTAssertEqual(trainer.callbackMetrics["val_value"], 0.75)
        XCTAssertEqual(trainer.loggedMetrics.keys.sorted(), ["dict_a_epoch", "dict_a_step", "dict_b_epoch", "dict_b_step", "epoch_value",
                                                             "train_value", "val_value"])
    }

    func testSyncDistChangesNothingInOneProcess() throws {
        let probe = LoggingProbe()
        probe.actions["training_step"] = { probe, index in
            for (key, sync) in [("synced", true), ("local", false)] {
                probe.log(key, Double(index * index), onStep: true, onEpoch: true, syncDist: sync)
            }
        }
        probe.actions["validation_step"] = { probe, index in
            probe.log("val_synced", Double(index), syncDist: true)
            probe.log("val_local", Double(index), syncDist: false)
        }
        let metrics = try fit(probe, epochs: 2).callbackMetrics
        for suffix in ["", "_step", "_epoch"] {
            XCTAssertEqual(metrics["synced\(suffix)"], metrics["local\(suffix)"], suffix)
        }
        XCTAssertEqual(metrics["val_synced"], metrics["val_local"])
        XCTAssertEqual(metrics["synced_epoch"], 13, "the mean of 0, 1, 4, …, 36")
    }
}
