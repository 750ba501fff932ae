import Foundation
import Lightning
import LightningTestSupport
import XCTest

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// The module's distributed helpers (`allGather`, `print`, `rankZeroOnly`, `log(rankZeroOnly:)`)
/// and the strategy's `broadcast`/`barrier` in one process, against the fixture; the same under
/// `mpirun -n 2` and `-n 3` through the ddp probe's `collectives` mode.
final class DistributedHelpersTests: XCTestCase {
    /// A module that runs `check` when training starts, and logs what `logged` says per step.
    final class HelperModule: LightningModule {
        let net = Linear(4, 3)
        var check: (HelperModule) throws -> Void = { _ in }
        var logged: (HelperModule) -> Void = { _ in }

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            logged(self)
            return crossEntropy(logits: net(batch.0), targets: batch.1)
        }
        func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.1)) }
        func onTrainStart() throws { try check(self) }
    }

    func fit(_ module: HelperModule, steps: Int = 1) throws -> Trainer {
        let trainer = Trainer(maxSteps: steps, numSanityValSteps: 0, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        try trainer.fit(module, trainDataloaders: DataLoader(ScenarioData.dataset(count: 8, seed: 1), batchSize: 4))
        return trainer
    }

    func testAllGatherInOneProcessKeepsTheInputShape() throws {
        let shapes = try ParityFixture.load().all_gather_one_process_shapes
        let module = HelperModule()
        var seen: [String: [Int]] = [:]
        module.check = { module in
            let tensor3 = Tensor([1, 2, 3]), tensor2x2 = Tensor([[1, 2], [3, 4]])
            let gathered3 = try module.allGather(tensor3), gathered2x2 = try module.allGather(tensor2x2)
            XCTAssertEqual(gathered3.scalars, tensor3.scalars)
            XCTAssertEqual(gathered2x2.scalars, tensor2x2.scalars)
            seen["tensor_3"] = gathered3.shape
            seen["tensor_2x2"] = gathered2x2.shape
            seen["scalar"] = try module.allGather(2.5).shape
            XCTAssertEqual(try module.allGather(Float(2.5)).scalars, [2.5])
        }
        _ = try fit(module)
        XCTAssertEqual(seen, shapes)
        // Outside a run the module is one process too.
        XCTAssertEqual(try HelperModule().allGather(Tensor([1, 2, 3])).shape, shapes["tensor_3"])
    }

    /// One process: the backward of all_gather is the identity (the sum over one rank of its own slice).
    func testSyncGradsPassesTheGradientBackInOneProcess() throws {
        let x = Tensor([1, 2, 3]).requiringGrad()
        let gathered = try HelperModule().allGather(x, syncGrads: true)
        (gathered * Tensor([4, 5, 6])).sum().backward()
        XCTAssertEqual(x.grad?.scalars, [4, 5, 6])
        let detached = Tensor([1, 2]).requiringGrad()
        XCTAssertFalse(try HelperModule().allGather(detached).requiresGrad, "without syncGrads no gradient flows")
    }

    func testRankZeroOnlyRunsOnRankZeroInOneProcess() throws {
        let module = HelperModule()
        var ran: Int?
        module.check = { module in ran = module.rankZeroOnly { 42 } }
        _ = try fit(module)
        XCTAssertEqual(ran, 42)
        XCTAssertTrue(module.isGlobalZero)
    }

    /// A rank-zero-only value is logged as given, even with syncDist: true (the sync is skipped).
    func testLogRankZeroOnlyRecordsTheValue() throws {
        let module = HelperModule()
        module.logged = { $0.log("only_zero", 3.0, onStep: false, onEpoch: true, syncDist: true, rankZeroOnly: true) }
        let trainer = try fit(module, steps: 2)
        XCTAssertEqual(trainer.callbackMetrics["only_zero"], 3.0)
    }

    struct Plan: Codable, Equatable {
        var name: String
        var sizes: [Int]
    }

    func testBroadcastAndBarrierInOneProcess() throws {
        let strategy: any Strategy = SingleDeviceStrategy()
        XCTAssertEqual(try strategy.broadcast(Plan(name: "a", sizes: [1, 2]), from: 0), Plan(name: "a", sizes: [1, 2]))
        XCTAssertEqual(try strategy.broadcast("version_3"), "version_3")
        let tensor = try strategy.broadcast(Tensor([[1, 2], [3, 4]]), from: 0)
        XCTAssertEqual(tensor.shape, [2, 2])
        XCTAssertEqual(tensor.scalars, [1, 2, 3, 4])
        XCTAssertThrowsError(try strategy.broadcast(Plan(name: "b", sizes: []), from: 1)) { error in
            XCTAssertTrue("\(error)".contains("rank 1"), "\(error)")
        }
        XCTAssertNoThrow(try strategy.barrier(name: "setup done"))
        XCTAssertNoThrow(try strategy.barrier())
    }

    /// Under 2 and 3 ranks: rank-dependent gathers stack by rank, a Codable value and a tensor
    /// come from rank 1, syncGrads gradients equal the analytic sum, and rank-zero-only values
    /// are neither synced nor agreed on.
    func testCollectivesUnderMPI() throws {
        for ranks in [2, 3] {
            let result = try ProbeRun.mpirun(ranks: ranks, ["collectives", "--root", makeTemporaryDirectory().path], limit: 60,
                                             executable: "lightning-ddp-probe")
            XCTAssertEqual(result.status, 0, result.output)
            for rank in 0..<ranks { XCTAssertTrue(result.output.contains("rank \(rank) collectives ok"), "\(ranks) ranks: \(result.output)") }
            XCTAssertTrue(result.output.contains("rank-zero-only metrics ok"), result.output)
            // The module's print speaks on rank 0 only.
            XCTAssertTrue(result.output.contains("module print from rank 0"), result.output)
            for rank in 1..<ranks { XCTAssertFalse(result.output.contains("module print from rank \(rank)"), result.output) }
        }
    }
}
