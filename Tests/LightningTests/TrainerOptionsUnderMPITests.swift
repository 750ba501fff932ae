import Foundation
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// limit) and kills the process group at a hard deadline, so a hung rank cannot hang the tests.

/// Trainer and module options under `mpirun -n 2` and `-n 3` (and one process), through the ddp
/// probe's `options` mode: `overfitBatches` applied to each rank's shard of the unshuffled
/// loaders, `useDistributedSampler: false` with loaders that shard themselves, and the
/// learning-rate finder, a warm-up `optimizerStep` and `configureGradientClipping` agreeing on
/// every rank (the clip sees gradients already averaged).
final class TrainerOptionsUnderMPITests: XCTestCase {
    /// Each rank's report, by rank.
    func run(ranks: Int, _ arguments: [String]) throws -> [[String: Any]] {
        let directory = makeTemporaryDirectory()
        let out = directory.path + "/options"
        let command = ["options", "--out", out, "--root", directory.path] + arguments
        let result = ranks == 1
            ? try ProbeRun.alone(command, limit: 60, executable: "lightning-ddp-probe")
            : try ProbeRun.mpirun(ranks: ranks, command, limit: 60, executable: "lightning-ddp-probe")
        XCTAssertEqual(result.status, 0, result.output)
        return try (0..<ranks).map { rank in
            let data = try Data(contentsOf: URL(fileURLWithPath: "\(out).rank\(rank).json"))
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    /// `batches` split into runs of `size`.
    func batched(_ indices: [Int], _ size: Int) -> [[Int]] {
        stride(from: 0, to: indices.count, by: size).map { Array(indices[$0..<min(indices.count, $0 + size)]) }
    }

    func testOverfitBatchesTakesEachRanksFirstBatchesOfTheUnshuffledOrder() throws {
        let (samples, val, batch, overfit, epochs) = (23, 13, 2, 2, 2)
        for ranks in [1, 2, 3] {
            let reports = try run(ranks: ranks, ["--scenario", "overfit", "--samples", "\(samples)", "--val", "\(val)", "--batch", "\(batch)",
                                                 "--overfit", "\(overfit)", "--epochs", "\(epochs)"])
            for (rank, report) in reports.enumerated() {
                let context = "rank \(rank) of \(ranks)"
                // DistributedSampler without shuffling: the order padded from its start, every ranks-th sample.
                let total = (samples + ranks - 1) / ranks * ranks
                let padded = Array(0..<samples) + Array(0..<samples).prefix(total - samples)
                let shard = Array(stride(from: rank, to: total, by: ranks).map { padded[$0] })
                let trainBatches = Array(batched(shard, batch).prefix(overfit))
                XCTAssertEqual(report["training"] as? [[[Int]]], Array(repeating: trainBatches, count: epochs), context)
                // Validation shards are contiguous runs of whole batches, split as numpy's array_split.
                let all = batched(Array(0..<val), batch)
                let start = (0..<rank).reduce(0) { $0 + all.count / ranks + ($1 < all.count % ranks ? 1 : 0) }
                let count = all.count / ranks + (rank < all.count % ranks ? 1 : 0)
                let valBatches = Array(all[start..<(start + count)].prefix(overfit))
                XCTAssertEqual(report["validation"] as? [[[Int]]], Array(repeating: valBatches, count: epochs), context)
                XCTAssertEqual(report["global_step"] as? Int, epochs * trainBatches.count, context)
            }
        }
    }

    func testWithoutTheDistributedSamplerEachRankIteratesItsOwnLoader() throws {
        // Training shards of equal length (every rank runs as many steps); validation shards uneven.
        let (samples, val, batch, epochs) = (12, 7, 2, 2)
        for ranks in [2, 3] {
            let reports = try run(ranks: ranks, ["--scenario", "own-shards", "--samples", "\(samples)", "--val", "\(val)", "--batch", "\(batch)",
                                                 "--epochs", "\(epochs)"])
            let losses = reports.map { $0["val_loss"] as? Double }
            XCTAssertNotNil(losses[0])
            XCTAssertTrue(losses.allSatisfy { $0 == losses[0] }, "the epoch metric is reduced over every rank: \(losses)")
            for (rank, report) in reports.enumerated() {
                let context = "rank \(rank) of \(ranks)"
                let ownTrain = Array(stride(from: rank, to: samples, by: ranks))
                let epochsSeen = try XCTUnwrap(report["training"] as? [[[Int]]], context)
                XCTAssertEqual(epochsSeen.count, epochs, context)
                for seen in epochsSeen {
                    XCTAssertEqual(seen.count, (ownTrain.count + batch - 1) / batch, context)
                    XCTAssertEqual(seen.flatMap { $0 }.sorted(), ownTrain, "its own loader, shuffled by itself, not sharded again: \(context)")
                }
                let ownVal = batched(Array(stride(from: rank, to: val, by: ranks)), batch)
                XCTAssertEqual(report["validation"] as? [[[Int]]], Array(repeating: ownVal, count: epochs), context)
                XCTAssertEqual(report["predicted"] as? [[Int]], ownVal, "predict runs the rank's own loader: \(context)")
                XCTAssertEqual((report["predictions"] as? [[Int]])?.count, ownVal.count, "every rank returns its own outputs: \(context)")
            }
        }
    }

    func testLearningRateFinderWarmUpAndClippingAgreeOnEveryRank() throws {
        // Enough sweep steps past the 10 the suggestion skips.
        let sweep = 30
        for ranks in [2, 3] {
            let reports = try run(ranks: ranks, ["--scenario", "hooks", "--samples", "24", "--batch", "2", "--epochs", "2", "--sweep", "\(sweep)"])
            let first = reports[0]
            let rate = try XCTUnwrap(first["learning_rate"] as? Double)
            XCTAssertNotEqual(rate, 0.05, "the finder set its suggestion")
            XCTAssertEqual((first["sweep_losses"] as? [Double])?.count, sweep)
            XCTAssertFalse((first["clip_norms"] as? [Double] ?? []).isEmpty)
            for (rank, report) in reports.enumerated().dropFirst() {
                XCTAssertEqual(report["learning_rate"] as? Double, rate, "rank \(rank) of \(ranks)")
                XCTAssertEqual(report["sweep_losses"] as? [Double], first["sweep_losses"] as? [Double], "rank 0's record: rank \(rank) of \(ranks)")
                XCTAssertEqual(report["clip_norms"] as? [Double], first["clip_norms"] as? [Double], "clipping sees averaged gradients: rank \(rank) of \(ranks)")
                XCTAssertEqual(report["weights"] as? [Double], first["weights"] as? [Double], "rank \(rank) of \(ranks)")
                XCTAssertEqual(report["global_step"] as? Int, first["global_step"] as? Int)
            }
        }
    }
}
