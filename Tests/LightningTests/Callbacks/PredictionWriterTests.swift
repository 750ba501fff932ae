import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// PredictionWriter: the files read back equal `predict`'s outputs concatenated in order.
final class PredictionWriterTests: XCTestCase {
    func predict<M: LightningModule>(_ model: M, writers: [PredictionWriter]) throws -> Tensor where M.Batch == (Tensor, Tensor) {
        let loader = DataLoader(ScenarioData.dataset(count: 10, seed: 8), batchSize: 4)
        let trainer = Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path,
                              callbacks: writers, logger: false)
        let batches = try trainer.predict(model, dataloaders: loader)
        XCTAssertEqual(batches.map { $0.shape[0] }, [4, 4, 2])
        return Tensor.cat(batches, dim: 0)
    }

    func testFloatOutputsRoundTripThroughNpyCsvAndSafetensors() throws {
        let directory = makeTemporaryDirectory()
        let paths = ["npy", "csv", "safetensors"].map { directory.file("out/predictions.\($0)") }
        let expected = try predict(TinyClassifier(), writers: paths.map { PredictionWriter(path: $0) })
        XCTAssertEqual(expected.shape, [10, 3])

        let npy = try NPY.read(path: paths[0])
        XCTAssertEqual(npy.shape, expected.shape)
        XCTAssertEqual(npy.scalars, expected.scalars)

        let lines = try String(contentsOfFile: paths[1], encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "output_0,output_1,output_2")
        let cells = lines.dropFirst().map { $0.split(separator: ",").map { Float(String($0))! } }
        XCTAssertEqual(cells.count, 10)
        XCTAssertEqual(cells.flatMap { $0 }, expected.scalars)

        let stored = try XCTUnwrap(Safetensors.read(path: paths[2]).tensors["predictions"])
        XCTAssertEqual(stored.shape, expected.shape)
        XCTAssertEqual(stored.scalars, expected.scalars)
    }

    func testClassIndicesRoundTripAsInt64() throws {
        let directory = makeTemporaryDirectory()
        let expected = try predict(RecordingClassifier(), writers: [PredictionWriter(path: directory.file("classes.npy")),
                                                                    PredictionWriter(path: directory.file("classes.csv"))])
        XCTAssertEqual(expected.dtype, .int64)
        let npy = try NPY.read(path: directory.file("classes.npy"))
        XCTAssertEqual(npy.dtype, .int64)
        XCTAssertEqual(npy.int64Scalars, expected.int64Scalars)
        let lines = try String(contentsOfFile: directory.file("classes.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines, ["output_0"] + expected.int64Scalars.map { "\($0)"[...] })
    }

    func testUnknownExtensionIsAnErrorNamingTheFile() throws {
        let path = makeTemporaryDirectory().file("predictions.parquet")
        XCTAssertThrowsError(try predict(TinyClassifier(), writers: [PredictionWriter(path: path)])) { error in
            XCTAssertEqual("\(error)", "PredictionWriter(\(path)): unknown extension; use .npy, .csv or .safetensors")
        }
    }
}

/// `returnPredictions: false`: nothing kept, the same files written, nothing else left behind.
final class PredictionWriterStreamingTests: XCTestCase {
    func testWithoutReturnedPredictionsTheFilesAreTheSame() throws {
        let directory = makeTemporaryDirectory()
        let loader = DataLoader(ScenarioData.dataset(count: 10, seed: 8), batchSize: 4)
        let model = TinyClassifier()
        var names: [String] = []
        for keep in [true, false] {
            let kept = ["npy", "csv", "safetensors"].map { "\(keep)/predictions.\($0)" }
            names += kept
            let trainer = Trainer(enableProgressBar: false, enableModelSummary: false, defaultRootDir: directory.path,
                                  callbacks: kept.map { PredictionWriter(path: directory.file($0)) }, logger: false)
            let batches = try trainer.predict(model, dataloaders: loader, returnPredictions: keep)
            XCTAssertEqual(batches.count, keep ? 3 : 0)
            XCTAssertEqual(trainer.lastPredictions.count, keep ? 3 : 0)
            for writer in trainer.callbacks.compactMap({ $0 as? PredictionWriter }) { XCTAssertEqual(writer.writtenShape, [10, 3]) }
        }
        for ext in ["npy", "csv", "safetensors"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: directory.file("true/predictions.\(ext)"))),
                           try Data(contentsOf: URL(fileURLWithPath: directory.file("false/predictions.\(ext)"))), ext)
        }
        for keep in ["true", "false"] {
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.file(keep)).sorted(),
                           ["predictions.csv", "predictions.npy", "predictions.safetensors"])
        }
    }
}
