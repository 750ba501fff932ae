import Foundation
import Lightning

/// The fixture's module: Linear(4, hidden)-ReLU-Linear(hidden, 3), SGD with StepLR(1, 0.5) per
/// epoch, recording every hook it gets in Lightning's snake_case names.
final class RecordingClassifier: LightningModule {
    let net: Sequential
    let lr: Double
    var calls: [String] = []
    var trainLosses: [Float] = []
    var dropout: Dropout?

    init(hidden: Int = 8, lr: Double = 0.1, dropout: Double? = nil) {
        net = Sequential(Linear(4, hidden), ReLU(), Linear(hidden, 3))
        self.lr = lr
        self.dropout = dropout.map { Dropout(Float($0)) }
        super.init()
        saveHyperparameters(["hidden": .int(hidden), "lr": .double(lr)])
    }

    override func forward(_ input: Tensor) -> Tensor {
        let hidden = input
        return net(dropout.map { $0(hidden) } ?? hidden)
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        calls.append("training_step(\(batchIndex))")
        let loss = crossEntropy(logits: self(batch.0), targets: batch.1)
        trainLosses.append(loss.item())
        log("train_loss", loss, onStep: true, onEpoch: true, progressBar: true)
        return loss
    }
    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        calls.append("validation_step(\(batchIndex))")
        let logits = self(batch.0)
        log("val_loss", crossEntropy(logits: logits, targets: batch.1), progressBar: true)
        log("val_acc", accuracy(logits: logits, targets: batch.1))
    }
    func testStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        calls.append("test_step(\(batchIndex))")
        log("test_loss", crossEntropy(logits: self(batch.0), targets: batch.1))
    }
    func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        calls.append("predict_step(\(batchIndex))")
        return self(batch.0).argmax(dim: 1)
    }
    var scheduler: (Optimizer) -> LRSchedulerConfig = { LRSchedulerConfig(StepLR($0, stepSize: 1, gamma: 0.5), interval: .epoch) }
    func configureOptimizers() -> OptimizerConfig {
        calls.append("configure_optimizers")
        let sgd = SGD(parameters(), lr: lr)
        return .init(sgd, scheduler: scheduler(sgd))
    }

    func setup(stage: Stage) throws { calls.append("setup") }
    func teardown(stage: Stage) throws { calls.append("teardown") }
    func onFitStart() throws { calls.append("on_fit_start") }
    func onFitEnd() throws { calls.append("on_fit_end") }
    func onTrainStart() throws { calls.append("on_train_start") }
    func onTrainEnd() throws { calls.append("on_train_end") }
    func onTrainEpochStart() throws { calls.append("on_train_epoch_start") }
    func onTrainEpochEnd() throws { calls.append("on_train_epoch_end") }
    func onTrainBatchStart(_ batch: (Tensor, Tensor), batchIndex: Int) throws { calls.append("on_train_batch_start") }
    func onTrainBatchEnd(_ outputs: Tensor, batch: (Tensor, Tensor), batchIndex: Int) throws { calls.append("on_train_batch_end") }
    func onValidationStart() throws { calls.append("on_validation_start") }
    func onValidationEnd() throws { calls.append("on_validation_end") }
    func onValidationEpochStart() throws { calls.append("on_validation_epoch_start") }
    func onValidationEpochEnd() throws { calls.append("on_validation_epoch_end") }
    func onValidationBatchStart(_ batch: (Tensor, Tensor), batchIndex: Int) throws { calls.append("on_validation_batch_start") }
    func onValidationBatchEnd(_ batch: (Tensor, Tensor), batchIndex: Int) throws { calls.append("on_validation_batch_end") }
    func onTestStart() throws { calls.append("on_test_start") }
    func onTestEnd() throws { calls.append("on_test_end") }
    func onTestEpochStart() throws { calls.append("on_test_epoch_start") }
    func onTestEpochEnd() throws { calls.append("on_test_epoch_end") }
    func onPredictStart() throws { calls.append("on_predict_start") }
    func onPredictEnd() throws { calls.append("on_predict_end") }
    func onPredictEpochStart() throws { calls.append("on_predict_epoch_start") }
    func onPredictEpochEnd() throws { calls.append("on_predict_epoch_end") }
    func onBeforeZeroGrad(_ optimizer: any Optimizer) throws { calls.append("on_before_zero_grad") }
    func onBeforeBackward(_ loss: Tensor) throws { calls.append("on_before_backward") }
    func onAfterBackward() throws { calls.append("on_after_backward") }
    func onBeforeOptimizerStep(_ optimizer: any Optimizer) throws { calls.append("on_before_optimizer_step") }
    func onSaveCheckpoint(_ checkpoint: inout Checkpoint) throws { calls.append("on_save_checkpoint") }

    /// The calls whose names are in `vocabulary`.
    func recorded(in vocabulary: Set<String>) -> [String] {
        calls.filter { vocabulary.contains(SemanticsFixture.baseName($0)) }
    }
}

/// A learnable 3-class problem in 4 features: labels from a fixed linear map, seeded.
enum ScenarioData {
    static func dataset(count: Int, seed: UInt64) -> TensorDataset<(Tensor, Tensor)> {
        let generator = Generator(seed: seed)
        var features: [Float] = []
        var labels: [Int64] = []
        let weights: [[Float]] = [[1, -1, 0.5, 0], [-0.5, 1, 1, -1], [0, -0.5, -1, 1]]
        for _ in 0..<count {
            let x = (0..<4).map { _ in generator.nextNormalPair().0 }
            features += x
            let scores = weights.map { w in zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } }
            labels.append(Int64(scores.indices.max { scores[$0] < scores[$1] }!))
        }
        return TensorDataset(Tensor(shape: [count, 4], scalars: features), Tensor(shape: [count], int64Scalars: labels))
    }

    static func loaders(_ scenario: FitScenario, shuffle: Bool = false) -> (train: DataLoader<(Tensor, Tensor)>, val: DataLoader<(Tensor, Tensor)>) {
        (DataLoader(dataset(count: scenario.trainCount, seed: 1), batchSize: scenario.trainBatch, shuffle: shuffle),
         DataLoader(dataset(count: scenario.valCount, seed: 2), batchSize: scenario.valBatch))
    }
}
