import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// `predictStep` outputs other than one tensor: a dictionary, a list or a tuple of tensors come
/// back from `predict` with their structure, each part equal to the module's own computation, and
/// under `mpirun -n 2`/`-n 3` in dataset order equal to one process's.
final class StructuredPredictionTests: XCTestCase {
    /// Logits and class probabilities of a Linear(4, 3), in the structure `Output` names.
    final class Predictor<Output>: LightningModule {
        let net = Linear(4, 3)
        let make: (Tensor, Tensor) -> Output
        init(_ make: @escaping (Tensor, Tensor) -> Output) { self.make = make }
        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            crossEntropy(logits: net(batch.0), targets: batch.1)
        }
        func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Output {
            let logits = net(batch.0)
            return make(logits, logits.softmax(dim: 1))
        }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }

        /// The logits and probabilities of each batch of `loader`, computed directly.
        func expected(_ loader: DataLoader<(Tensor, Tensor)>) -> [(logits: [Float], probabilities: [Float])] {
            noGrad { loader.map { let logits = net($0.0); return (logits.scalars, logits.softmax(dim: 1).scalars) } }
        }
    }

    /// Records the structure of what `onPredictBatchEnd` gets, whatever its type.
    final class OutputRecorder: Callback {
        var outputs: [[String]] = []
        func onPredictBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: Any, batch: Any, batchIndex: Int, dataloaderIndex: Int) throws {
            self.outputs.append(try PredictionTensors.named(outputs).map(\.name))
        }
    }

    /// Counts the calls of the one-loader `onPredictBatchEnd`, which takes tensor outputs.
    final class TensorRecorder: Callback {
        var calls = 0
        func onPredictBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: Tensor, batch: Any, batchIndex: Int) throws { calls += 1 }
    }

    let loader = DataLoader(ScenarioData.dataset(count: 10, seed: 4), batchSize: 4)

    func trainer(callbacks: [any Callback] = []) -> Trainer {
        Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, callbacks: callbacks, logger: false)
    }

    func testADictionaryOfTensorsComesBackByKey() throws {
        let model = Predictor { ["logits": $0, "probabilities": $1] }
        let recorder = OutputRecorder()
        let outputs = try trainer(callbacks: [recorder]).predict(model, dataloaders: loader)
        XCTAssertEqual(outputs.count, 3)
        for (output, expected) in zip(outputs, model.expected(loader)) {
            XCTAssertEqual(output["logits"]?.scalars, expected.logits)
            XCTAssertEqual(output["probabilities"]?.scalars, expected.probabilities)
        }
        XCTAssertEqual(recorder.outputs, Array(repeating: ["logits", "probabilities"], count: 3))
    }

    func testATupleOfTensorsComesBackAsTheTuple() throws {
        let model = Predictor { (logits: $0, probabilities: $1) }
        // A tuple is no protocol's: its typed outputs come from the array-of-loaders form.
        let outputs = try trainer().predict(model, dataloaders: [loader])[0]
        for (output, expected) in zip(outputs, model.expected(loader)) {
            XCTAssertEqual(output.logits.scalars, expected.logits)
            XCTAssertEqual(output.probabilities.scalars, expected.probabilities)
        }
        XCTAssertEqual(outputs.count, 3)
        XCTAssertEqual(try PredictionTensors.named(outputs[0]).map(\.name), ["logits", "probabilities"])
    }

    func testAListOfTensorsComesBackInOrder() throws {
        let model = Predictor { [$0, $1] }
        let recorder = TensorRecorder()
        let outputs = try trainer(callbacks: [recorder]).predict(model, dataloaders: loader)
        XCTAssertEqual(outputs.map { $0.map(\.scalars) }, model.expected(loader).map { [$0.logits, $0.probabilities] })
        XCTAssertEqual(recorder.calls, 0, "the Tensor form of onPredictBatchEnd sees tensor outputs only")
        _ = try trainer(callbacks: [recorder]).predict(Predictor { logits, _ in logits }, dataloaders: loader)
        XCTAssertEqual(recorder.calls, 3)
    }

    /// A module implementing only the several-loader `predictStep` gets its output type from it
    /// (not the default `Tensor`), with each loader's index.
    func testTheLoaderFormAloneSetsTheOutputType() throws {
        final class ByLoader: LightningModule {
            let net = Linear(4, 3)
            func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor { crossEntropy(logits: net(batch.0), targets: batch.1) }
            func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int, dataloaderIndex: Int) throws -> [String: Tensor] {
                ["logits": net(batch.0), "loader": Tensor(shape: [batch.0.shape[0]], int64Scalars: Array(repeating: Int64(dataloaderIndex), count: batch.0.shape[0]))]
            }
            func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
        }
        let second = DataLoader(ScenarioData.dataset(count: 5, seed: 6), batchSize: 2)
        let outputs = try trainer().predict(ByLoader(), dataloaders: [loader, second])
        XCTAssertEqual(outputs.map { $0.map { $0["loader"]!.withUnsafeInt64BufferPointer { Set($0) } } }, [[[0], [0], [0]], [[1], [1], [1]]])
        XCTAssertEqual(outputs.map { $0.map { $0["logits"]!.shape } }, [[[4, 3], [4, 3], [2, 3]], [[2, 3], [2, 3], [1, 3]]])
    }

    /// The `[Tensor]` form that code generic over the module calls: tensors work, other outputs
    /// are an error that says where to get them; an unsupported output type names itself.
    func testTheTensorFormAndUnsupportedOutputs() throws {
        func generic<M: LightningModule>(_ model: M) throws -> [Tensor] where M.Batch == (Tensor, Tensor) {
            try trainer().predict(model, dataloaders: loader)
        }
        XCTAssertEqual(try generic(Predictor { logits, _ in logits }).count, 3)
        XCTAssertThrowsError(try generic(Predictor { ["logits": $0, "probabilities": $1] })) { error in
            XCTAssertTrue("\(error)".contains("not Tensor"), "\(error)")
        }
        XCTAssertThrowsError(try trainer().predict(Predictor { logits, _ in logits.shape }, dataloaders: [loader])) { error in
            XCTAssertTrue("\(error)".contains("predictStep returned Array<Int>"), "\(error)")
        }
        let writer = PredictionWriter(path: makeTemporaryDirectory().file("out.npy"))
        XCTAssertThrowsError(try trainer(callbacks: [writer]).predict(Predictor { ["logits": $0, "probabilities": $1] }, dataloaders: loader)) { error in
            XCTAssertTrue("\(error)".contains("PredictionWriter writes the Tensor outputs"), "\(error)")
        }
    }

    /// Under `mpirun -n 2` and `-n 3` every loader's dictionary and tuple outputs reach rank 0 in
    /// dataset order, equal to one process's bit for bit, and every loader's metrics equal one
    /// process's: the shards are unpadded (a rank's shard of a loader may be empty) and the
    /// reduction exact.
    func testUnderMPIEveryLoaderEqualsOneProcess() throws {
        let directory = makeTemporaryDirectory()
        var results: [Int: [String: JSONValue]] = [:]
        for ranks in [1, 2, 3] {
            let out = directory.file("multi-\(ranks).json")
            let run = try ProbeRun.mpirun(ranks: ranks, ["multi-loaders", "--out", out, "--root", directory.file("root-\(ranks)")],
                                          limit: 60, executable: "lightning-ddp-probe")
            XCTAssertEqual(run.status, 0, run.output)
            results[ranks] = try JSONValue(parsing: String(contentsOfFile: out, encoding: .utf8)).decode()
        }
        let one = try XCTUnwrap(results[1])
        // The probe's loaders: 10 samples in batches of 4 and 6 in batches of 3.
        let batches = [(10 + 3) / 4, (6 + 2) / 3]
        for structure in ["dictionary", "tuple"] {
            guard case .array(let loaders)? = one["predict"]?[structure] else { return XCTFail("no \(structure) predictions") }
            XCTAssertEqual(loaders.map { if case .array(let items) = $0 { return items.count } else { return -1 } }, batches, structure)
        }
        XCTAssertEqual(one["validate"].flatMap(keys), [["val_acc/dataloader_idx_0", "val_loss/dataloader_idx_0"],
                                                       ["val_acc/dataloader_idx_1", "val_loss/dataloader_idx_1"]])
        for ranks in [2, 3] {
            let many = try XCTUnwrap(results[ranks])
            XCTAssertEqual(many["predict"], one["predict"], "\(ranks) ranks: predictions")
            XCTAssertEqual(many["fit_callback_keys"], one["fit_callback_keys"], "\(ranks) ranks")
            for stage in ["fit_callback", "validate", "test"] {
                // A step value is the rank's own (Lightning syncs it only when asked); the rest is reduced.
                let expected = try numbers(one[stage]).filter { !$0.key.hasSuffix("_step") }
                let actual = try numbers(many[stage]).filter { !$0.key.hasSuffix("_step") }
                XCTAssertEqual(actual.map(\.key), expected.map(\.key), "\(ranks) ranks: \(stage)")
                for (a, e) in zip(actual, expected) { assertClose(a.value, e.value, rtol: 1e-6, atol: 1e-9, "\(ranks) ranks: \(stage) \(a.key)") }
            }
        }
    }

    /// The keys of each dictionary of a JSON array.
    private func keys(_ value: JSONValue) -> [[String]]? {
        guard case .array(let items) = value else { return nil }
        return items.map { item in if case .object(let object) = item { return object.keys.sorted() } else { return [] } }
    }

    /// Every number in `value` with its path, in a fixed order.
    private func numbers(_ value: JSONValue?, path: String = "") throws -> [(key: String, value: Double)] {
        switch try XCTUnwrap(value, "missing \(path)") {
        case .number(let number): return [(path, number)]
        case .array(let items): return try items.enumerated().flatMap { try numbers($0.element, path: "\(path)[\($0.offset)]") }
        case .object(let object): return try object.keys.sorted().flatMap { try numbers(object[$0], path: "\(path).\($0)") }
        default: return []
        }
    }
}
