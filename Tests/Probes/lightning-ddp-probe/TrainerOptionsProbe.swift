import Foundation
import Lightning

/// The `options` mode: Trainer and module options under `mpirun` (launched by
/// `TrainerOptionsUnderMPITests` through `ProbeRun.mpirun`, with `--timeout` and a deadline). Every rank writes what it saw
/// as JSON to `<out>.rank<R>.json`. `--scenario`:
/// - `overfit`: `overfitBatches: --overfit` on a shuffled training loader (`--samples`, `--batch`)
///   and a validation loader (`--val`), `--epochs` epochs;
/// - `own-shards`: `useDistributedSampler: false` with loaders that take every world-size-th
///   sample from the rank's own (`--samples`, `--val`, `--batch`), then `predict` on the validation shard;
/// - `hooks`: a `LearningRateFinder` at fit start, a warm-up `optimizerStep` and a
///   `configureGradientClipping` that records the norm it is given, under the default sharding.
enum TrainerOptionsProbe {
    /// Samples whose first feature is their dataset index, so a rank can report which it saw.
    static func indexed(_ indices: [Int]) -> TensorDataset<(Tensor, Tensor)> {
        TensorDataset(Tensor(shape: [indices.count, 4], scalars: indices.flatMap { i in [Float(i), Float(i % 5) / 5, Float(i % 3), 1] }),
                      Tensor(shape: [indices.count], int64Scalars: indices.map { Int64($0 % 3) }))
    }

    /// Records the indices of every batch it trains, validates and predicts on.
    final class IndexModel: LightningModule, LearningRateTunable {
        let net = Sequential(Linear(4, 8), ReLU(), Linear(8, 3))
        var learningRate = 0.05
        var training: [[[Int]]] = []
        var validation: [[[Int]]] = []
        var predicted: [[Int]] = []
        var clipNorms: [Double] = []
        var warmUp: Int?

        static func indices(_ x: Tensor) -> [Int] { stride(from: 0, to: x.count, by: 4).map { Int(x.scalars[$0]) } }

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            training[training.count - 1].append(Self.indices(batch.0))
            let loss = crossEntropy(logits: net(batch.0 / 10), targets: batch.1)
            log("train_loss", loss)
            return loss
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
            validation[validation.count - 1].append(Self.indices(batch.0))
            log("val_loss", crossEntropy(logits: net(batch.0 / 10), targets: batch.1))
        }
        func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            predicted.append(Self.indices(batch.0))
            return net(batch.0 / 10)
        }
        func onTrainEpochStart() throws { training.append([]) }
        func onValidationEpochStart() throws { validation.append([]) }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: learningRate)) }

        func optimizerStep(epoch: Int, batchIndex: Int, optimizer: any Optimizer, closure: () throws -> Void) throws {
            if let warmUp {
                let rate = learningRate * min(1, Double(globalStep + 1) / Double(warmUp))
                optimizer.learningRates = optimizer.learningRates.map { _ in rate }
            }
            try optimizer.step(closure: closure)
        }
        func configureGradientClipping(optimizer: any Optimizer, gradientClipVal: Double?, gradientClipAlgorithm: GradientClipAlgorithm?) throws {
            let squares = optimizer.parameters.compactMap(\.grad).reduce(0.0) { total, g in total + g.scalars.reduce(0.0) { $0 + Double($1 * $1) } }
            clipNorms.append(squares.squareRoot())
            try clipGradients(optimizer, gradientClipVal: gradientClipVal, gradientClipAlgorithm: gradientClipAlgorithm)
        }
    }

    static func run(scenario: String, options: [String: String], out: String, root: String) throws {
        func int(_ key: String, _ fallback: Int) -> Int { options[key].flatMap(Int.init) ?? fallback }
        let samples = int("samples", 24), val = int("val", 10), batch = int("batch", 2), epochs = int("epochs", 2)
        let model = IndexModel()
        var report: [String: Any] = [:]
        let trainer: Trainer
        switch scenario {
        case "overfit":
            trainer = Trainer(maxEpochs: epochs, overfitBatches: .count(int("overfit", 2)), numSanityValSteps: 0, enableCheckpointing: false,
                              enableProgressBar: false, enableModelSummary: false, defaultRootDir: root, logger: false)
            try trainer.fit(model, trainDataloaders: DataLoader(indexed(Array(0..<samples)), batchSize: batch, shuffle: true),
                            valDataloaders: DataLoader(indexed(Array(0..<val)), batchSize: batch))
        case "own-shards":
            trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, useDistributedSampler: false, enableCheckpointing: false,
                              enableProgressBar: false, enableModelSummary: false, defaultRootDir: root, logger: false)
            let (rank, world) = (trainer.globalRank, trainer.worldSize)
            let own = { (count: Int) in Array(stride(from: rank, to: count, by: world)) }
            let valLoader = DataLoader(indexed(own(val)), batchSize: batch)
            try trainer.fit(model, trainDataloaders: DataLoader(indexed(own(samples)), batchSize: batch, shuffle: true), valDataloaders: valLoader)
            report["val_loss"] = trainer.callbackMetrics["val_loss"]
            report["predictions"] = try trainer.predict(model, dataloaders: valLoader).map(\.shape)
        case "hooks":
            model.warmUp = int("warm-up", 3)
            let finder = LearningRateFinder(minLR: 1e-3, maxLR: 0.5, numTraining: int("sweep", 12))
            trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, gradientClipVal: 0.5, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: root, callbacks: [finder], logger: false)
            try trainer.fit(model, trainDataloaders: DataLoader(indexed(Array(0..<samples)), batchSize: batch, shuffle: true))
            report["learning_rate"] = model.learningRate
            report["sweep_losses"] = finder.result?.losses ?? []
            report["clip_norms"] = model.clipNorms
            report["weights"] = model.stateDict().sorted { $0.key < $1.key }.flatMap { $0.value.scalars.map(Double.init) }
        default:
            throw LightningError.misconfiguration("unknown options scenario \(scenario)")
        }
        report["training"] = model.training
        report["validation"] = model.validation
        report["predicted"] = model.predicted
        report["global_step"] = trainer.globalStep
        let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        try data.write(to: URL(fileURLWithPath: "\(out).rank\(trainer.globalRank).json"))
    }
}
