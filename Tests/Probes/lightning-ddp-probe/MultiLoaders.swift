import Foundation
import Lightning

/// The `multi-loaders` mode: two evaluation loaders (10 samples in batches of 4, 6 in batches of
/// 3, so under 3 ranks one rank's shard of the second is empty). A seeded module validates, tests
/// and predicts with both (dictionary and tuple outputs), then fits one epoch on a data module
/// that returns both as validation loaders; rank 0 writes every result and the CSV header as JSON (predictions as float bit patterns, for exact comparison),
/// and every other rank checks that it got no predictions.
enum MultiLoaders {
    /// Logs `val_loss`, `val_acc` and `test_loss` per loader; predicts logits and classes in the
    /// structure `Output` gives them.
    final class Model<Output>: LightningModule {
        let net = Sequential(Linear(12, 16), ReLU(), Linear(16, 4))
        let make: (Tensor, Tensor) -> Output
        init(_ make: @escaping (Tensor, Tensor) -> Output) { self.make = make }

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            log("train_loss", loss, onStep: true, onEpoch: true)
            return loss
        }
        func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws {
            let logits = net(batch.0)
            log("val_loss", crossEntropy(logits: logits, targets: batch.1))
            log("val_acc", accuracy(logits: logits, targets: batch.1))
        }
        func testStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws {
            log("test_loss", crossEntropy(logits: net(batch.0), targets: batch.1))
        }
        func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws -> Output {
            let logits = net(batch.0)
            return make(logits, logits.argmax(dim: 1))
        }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
    }

    /// The fit's data: a training loader and both evaluation loaders as validation loaders.
    final class Data: DataModule {
        let train: DataLoader<(Tensor, Tensor)>
        let validation: [DataLoader<(Tensor, Tensor)>]
        init(train: DataLoader<(Tensor, Tensor)>, validation: [DataLoader<(Tensor, Tensor)>]) {
            self.train = train
            self.validation = validation
        }
        func trainDataLoader() throws -> DataLoader<(Tensor, Tensor)>? { train }
        func valDataLoaders() throws -> [DataLoader<(Tensor, Tensor)>] { validation }
    }

    static func run(root: String, out: String) throws {
        let trainer = Trainer(maxEpochs: 1, numSanityValSteps: 1, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: root, logger: .logger(CSVLogger(saveDir: root)))
        let world = trainer.worldSize
        let loaders = [DataLoader(ProbeData.dataset(count: 10, seed: 2), batchSize: 4), DataLoader(ProbeData.dataset(count: 6, seed: 3), batchSize: 3)]
        seedEverything(11)
        let byKey = Model { ["logits": $0, "classes": $1] }
        seedEverything(11)
        let asTuple = Model { (logits: $0, classes: $1) }

        let validated = try trainer.validate(byKey, dataloaders: loaders, verbose: false)
        let tested = try trainer.test(byKey, dataloaders: loaders, verbose: false)
        let dictionaries = try trainer.predict(byKey, dataloaders: loaders)
        let tuples = try trainer.predict(asTuple, dataloaders: loaders)
        // A global batch of 12 split over the ranks, so every world size takes the same steps.
        guard 12 % world == 0 else { throw LightningError.misconfiguration("probe: 12 does not split over \(world) ranks") }
        let data = Data(train: DataLoader(ProbeData.dataset(count: 24, seed: 1), batchSize: 12 / world), validation: loaders)
        try trainer.fit(byKey, datamodule: data)

        guard trainer.isGlobalZero else {
            let count = dictionaries.joined().count + tuples.joined().count
            guard count == 0 else { throw LightningError.misconfiguration("probe: rank \(trainer.globalRank) got \(count) predictions") }
            return
        }
        let csv = try String(contentsOfFile: "\(trainer.logger?.logDir ?? root)/metrics.csv", encoding: .utf8)
        let header = String(csv.prefix { $0 != "\n" })
        let predictions = JSONValue.object([
            "dictionary": .array(dictionaries.map { .array($0.map { output in .object(output.mapValues(bits)) }) }),
            "tuple": .array(tuples.map { .array($0.map { .array([bits($0.logits), bits($0.classes)]) }) }),
        ])
        let metrics = { (results: [[String: Double]]) in JSONValue.array(results.map { .object($0.mapValues(JSONValue.number)) }) }
        let result = JSONValue.object([
            "validate": metrics(validated), "test": metrics(tested), "predict": predictions,
            "fit_callback": .object(trainer.callbackMetrics.mapValues(JSONValue.number)),
            "fit_callback_keys": .array(trainer.callbackMetrics.keys.sorted().map(JSONValue.string)),
            "csv_header": .string(header),
        ])
        try result.jsonText.write(toFile: out, atomically: true, encoding: .utf8)
        print("multi-loaders: \(dictionaries.map(\.count)) batches per loader")
    }

    /// A tensor's values exactly: float32 bit patterns, or int64 values.
    static func bits(_ tensor: Tensor) -> JSONValue {
        let values = tensor.dtype == .float32 ? tensor.scalars.map { Double($0.bitPattern) } : tensor.withUnsafeInt64BufferPointer { $0.map(Double.init) }
        return .object(["shape": .array(tensor.shape.map { .number(Double($0)) }), "values": .array(values.map(JSONValue.number))])
    }
}
