import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `--data.predict_inputs FILE`: predict runs on every row of a new file, in order, the same
/// under `mpirun -n 2|3` as in one process (launched with mpirun's `--timeout` and a deadline,
/// see `ProbeRun`); a file whose rows are shaped unlike the inputs is refused naming both shapes.
final class PredictInputsTests: XCTestCase {
    static let features = 5
    static let samples = 90

    func testPredictRunsOnEveryRowOfTheFileInOrder() throws {
        let directory = makeTemporaryDirectory()
        let generator = Generator(seed: 8)
        let inputs = directory.file("x.npy"), targets = directory.file("y.npy"), fresh = directory.file("new.npy")
        try NPY.write(Tensor.randn([Self.samples, Self.features], generator: generator), to: inputs)
        try NPY.write(Tensor(labels: (0..<Self.samples).map { $0 % 3 }), to: targets)
        // The new rows twice over: the second half's predictions must repeat the first half's.
        let half = 13
        let block = Tensor.randn([half, Self.features], generator: generator)
        try NPY.write(Tensor.cat([block, block]), to: fresh)
        let data = ["--data", "npy", "--data.inputs", inputs, "--data.targets", targets, "--data.batch_size", "4"]
        let fit = try runExecutable("swift-lightning", ["fit", "--trainer.max_epochs", "1", "--trainer.default_root_dir", directory.path,
                                                        "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false"] + data,
                                    in: directory.path)
        XCTAssertTrue(fit.succeeded, fit.stdout + fit.stderr)
        let common = ["predict", "--ckpt_path", "last", "--trainer.logger", "false", "--trainer.default_root_dir", directory.path]
            + data + ["--data.predict_inputs", fresh]

        let reference = directory.file("alone.npy")
        let alone = try runExecutable("swift-lightning", common + ["--predict.output", reference], in: directory.path)
        XCTAssertTrue(alone.succeeded, alone.stdout + alone.stderr)
        let predicted = try NPY.read(path: reference)
        XCTAssertEqual(predicted.shape.first, 2 * half, "one row per row of the file")
        let width = predicted.count / (2 * half)
        XCTAssertEqual(Array(predicted.scalars[0..<(half * width)]), Array(predicted.scalars[(half * width)...]), "rows in file order")

        for ranks in [2, 3] {
            let output = directory.file("ranks-\(ranks).npy")
            let run = try ProbeRun.mpirun(ranks: ranks, common + ["--predict.output", output], limit: 90, executable: "swift-lightning")
            XCTAssertEqual(run.status, 0, "mpirun -n \(ranks):\n\(run.output)")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: output)), try Data(contentsOf: URL(fileURLWithPath: reference)),
                           "mpirun -n \(ranks) writes the one-process file byte for byte")
        }
    }

    func testRowsShapedUnlikeTheInputsAreRefused() throws {
        let directory = makeTemporaryDirectory()
        let inputs = directory.file("x.npy"), targets = directory.file("y.npy"), wrong = directory.file("wrong.npy")
        try NPY.write(Tensor.zeros([12, Self.features]), to: inputs)
        try NPY.write(Tensor(labels: (0..<12).map { $0 % 2 }), to: targets)
        try NPY.write(Tensor.zeros([4, Self.features + 1]), to: wrong)
        let run = try runExecutable("swift-lightning", ["predict", "--trainer.logger", "false", "--data", "npy", "--data.inputs", inputs,
                                                        "--data.targets", targets, "--data.predict_inputs", wrong], in: directory.path)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("predict_inputs"), run.stderr)
        XCTAssertTrue(run.stderr.contains("[\(Self.features)]") && run.stderr.contains("[\(Self.features + 1)]"), run.stderr)
    }
}
