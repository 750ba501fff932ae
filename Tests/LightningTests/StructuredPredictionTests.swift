import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// `predictStep` outputs other than one tensor: a dictionary, a list or a tuple of tensors come
/// back from `predict` with their structure, each part equal to the module's own computation
/// (under `mpirun`: `MultipleLoadersUnderMPITests`, launched with `--timeout` through `ProbeRun.mpirun`;
/// this file starts no process).
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
}
