import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `mpirun -n 2|3 swift-lightning predict` under every batch limit kind: each rank runs the limit
/// of its own shard (Lightning's rule under DDP) and rank 0 writes exactly those batches' rows,
/// equal to the same rows of a one-process prediction. Every launch has mpirun's `--timeout` and a
/// hard deadline (see `ProbeRun`).
final class PredictLimitsUnderMPITests: XCTestCase {
    static let samples = 200
    static let testFraction = 0.1
    /// Small batches, so 2 and 3 ranks get several batches each, and uneven shards.
    static let batchSize = 3

    func data() -> [String] {
        ["--data", "synthetic", "--data.samples", String(Self.samples), "--data.test_fraction", String(Self.testFraction),
         "--data.batch_size", String(Self.batchSize)]
    }

    /// The limit kinds, as the CLI spells them, with the batches each leaves of a rank's `available`.
    static let kinds: [(name: String, arguments: [String], batches: @Sendable (Int) -> Int)] = [
        ("none", [], { $0 }),
        ("count", ["--trainer.limit_predict_batches", "2"], { min(2, $0) }),
        ("fraction", ["--trainer.limit_predict_batches", "0.5"], { $0 == 0 ? 0 : max(1, Int(Double($0) * 0.5)) }),
        ("fast_dev_run", ["--trainer.fast_dev_run", "1"], { min(1, $0) }),
    ]

    func testEveryLimitKindUnderTwoAndThreeRanks() throws {
        let directory = makeTemporaryDirectory()
        let fit = try runExecutable("swift-lightning", ["fit"] + data() + ["--trainer.max_epochs", "1", "--trainer.default_root_dir", directory.path,
                                                                           "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false"],
                                    in: directory.path)
        XCTAssertTrue(fit.succeeded, fit.stdout + fit.stderr)
        let checkpoint = try XCTUnwrap(fit.stdout.components(separatedBy: "best checkpoint: ").last?.components(separatedBy: " (").first?
            .trimmingCharacters(in: .whitespacesAndNewlines), fit.stdout)
        let common = ["predict", "--ckpt_path", checkpoint, "--trainer.logger", "false", "--trainer.default_root_dir", directory.path] + data()

        let reference = directory.file("reference.npy")
        let alone = try runExecutable("swift-lightning", common + ["--predict.output", reference], in: directory.path)
        XCTAssertTrue(alone.succeeded, alone.stdout + alone.stderr)
        let all = try NPY.read(path: reference)
        let rows = try XCTUnwrap(all.shape.first)
        XCTAssertEqual(rows, Int((Double(Self.samples) * Self.testFraction).rounded()), "the held-out split")
        let width = all.shape.dropFirst().reduce(1, *)
        let batches = (rows + Self.batchSize - 1) / Self.batchSize

        for ranks in [2, 3] {
            for kind in Self.kinds {
                let output = directory.file("predict-\(ranks)-\(kind.name).npy")
                let run = try ProbeRun.mpirun(ranks: ranks, common + kind.arguments + ["--predict.output", output], limit: 90, executable: "swift-lightning")
                let context = "mpirun -n \(ranks), \(kind.name)"
                XCTAssertEqual(run.status, 0, "\(context):\n\(run.output)")
                // Rank r holds a contiguous run of whole batches (split as numpy's array_split) and
                // predicts the first ones the limit leaves of it.
                var expectedRows: [Int] = []
                var start = 0
                for rank in 0..<ranks {
                    let shard = batches / ranks + (rank < batches % ranks ? 1 : 0)
                    for batch in start..<(start + kind.batches(shard)) {
                        expectedRows += (batch * Self.batchSize)..<min(rows, (batch + 1) * Self.batchSize)
                    }
                    start += shard
                }
                XCTAssertTrue(run.output.contains("predicted \(expectedRows.count) samples"), "\(context):\n\(run.output)")
                guard run.status == 0, let predicted = try? NPY.read(path: output) else { XCTFail("\(context): no output"); continue }
                XCTAssertEqual(predicted.shape, [expectedRows.count] + all.shape.dropFirst(), context)
                let expected = expectedRows.flatMap { all.scalars[($0 * width)..<(($0 + 1) * width)] }
                XCTAssertEqual(predicted.scalars, expected, "the same rows as one process predicts: \(context)")
            }
        }
    }
}
