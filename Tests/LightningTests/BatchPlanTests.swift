import Foundation
@testable import Lightning
import LightningTestSupport
import XCTest

// Launches no process: the ranks are the shards DataParallelStrategy would give each process,
// computed here for every rank.

/// How many batches each stage runs per rank and in all, for every limit kind and 1, 2 and 3
/// ranks, and which dataset batches predict's gather then expects (Lightning applies a limit to
/// each rank's own loader under DDP).
final class BatchPlanTests: XCTestCase {
    /// The limit kinds a Trainer takes.
    enum Kind: CaseIterable { case none, count, fraction, fastDevRun }

    static let countLimit = 2
    static let fractionLimit = 0.5
    static let fastDevRunBatches = 1

    /// (samples, batch size): uneven shards, and fewer batches than 3 ranks (an empty shard).
    static let fixtures = [(samples: 23, batchSize: 3), (samples: 5, batchSize: 3)]

    func trainer(_ kind: Kind) -> Trainer {
        let limit: BatchLimit
        switch kind {
        case .count: limit = .count(Self.countLimit)
        case .fraction: limit = .fraction(Self.fractionLimit)
        case .none, .fastDevRun: limit = 1.0
        }
        return Trainer(limitTrainBatches: limit, limitValBatches: limit, limitTestBatches: limit, limitPredictBatches: limit,
                       fastDevRun: kind == .fastDevRun ? Self.fastDevRunBatches : 0, enableCheckpointing: false,
                       enableProgressBar: false, enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
    }

    func loader(samples: Int, batchSize: Int) -> DataLoader<Tensor> {
        DataLoader(TensorDataset(Tensor(shape: [samples, 1], scalars: (0..<samples).map(Float.init))), batchSize: batchSize, prefetch: 0)
    }

    /// Rank r's batch count from the sizes alone: training shards are padded to ceil(n / world)
    /// samples; evaluation shards split the batches as numpy's array_split does.
    func shardBatches(_ stage: LimitedLoader, samples: Int, batchSize: Int, world: Int, rank: Int) -> Int {
        if stage == .train {
            let perRank = (samples + world - 1) / world
            return (perRank + batchSize - 1) / batchSize
        }
        let batches = (samples + batchSize - 1) / batchSize
        return batches / world + (rank < batches % world ? 1 : 0)
    }

    /// What the limit leaves of `available` batches, from the definitions of the kinds.
    func expected(_ kind: Kind, available: Int) -> Int {
        switch kind {
        case .none: return available
        case .count: return min(Self.countLimit, available)
        case .fastDevRun: return min(Self.fastDevRunBatches, available)
        case .fraction: return available == 0 ? 0 : max(1, Int(Double(available) * Self.fractionLimit))
        }
    }

    func plans(_ stage: LimitedLoader, _ kind: Kind, base: DataLoader<Tensor>, world: Int) -> [BatchPlan] {
        let shards = (0..<world).map { rank in
            (stage == .train ? DataParallelStrategy.trainingShard(base, rank: rank, worldSize: world)
                             : DataParallelStrategy.evaluationShard(base, rank: rank, worldSize: world)).batchIndices()
        }
        let limit = trainer(kind).batchLimit(stage)
        return (0..<world).map { BatchPlan(limit: limit, shards: shards, rank: $0) }
    }

    func testEveryStageLimitKindAndWorldSize() {
        for (samples, batchSize) in Self.fixtures {
            let base = loader(samples: samples, batchSize: batchSize)
            for stage in [LimitedLoader.train, .validation, .test, .predict] {
                for kind in Kind.allCases {
                    for world in 1...3 {
                        let context = "\(stage) \(kind) world \(world), \(samples) samples in batches of \(batchSize)"
                        let plans = plans(stage, kind, base: base, world: world)
                        let perRank = (0..<world).map { expected(kind, available: shardBatches(stage, samples: samples, batchSize: batchSize, world: world, rank: $0)) }
                        for (rank, plan) in plans.enumerated() {
                            XCTAssertEqual(plan.perRank, perRank, context)
                            XCTAssertEqual(plan.local, perRank[rank], context)
                            XCTAssertEqual(plan.total, perRank.reduce(0, +), context)
                            XCTAssertEqual(plan.runsOnAnyRank, perRank.contains { $0 > 0 }, context)
                            XCTAssertEqual(plan.covered, plans[0].covered, "every rank expects the same batches: \(context)")
                        }
                        if stage != .train { assertCoversLeadingBatchesOfEachShard(plans[0], base: base, world: world, context) }
                    }
                }
            }
        }
    }

    /// Evaluation shards are contiguous runs of the unsharded loader's batches: the plan covers the
    /// first `perRank[r]` batches of rank r's run, in dataset order, each sample at most once.
    func assertCoversLeadingBatchesOfEachShard(_ plan: BatchPlan, base: DataLoader<Tensor>, world: Int, _ context: String) {
        let all = base.batchIndices()
        var expected: [[Int]] = []
        var start = 0
        for rank in 0..<world {
            let shard = all.count / world + (rank < all.count % world ? 1 : 0)
            expected += all[start..<(start + plan.perRank[rank])]
            start += shard
        }
        XCTAssertEqual(plan.covered, expected, context)
        let flat = plan.covered.flatMap { $0 }
        XCTAssertEqual(flat, flat.sorted(), "dataset order: \(context)")
        XCTAssertEqual(Set(flat).count, flat.count, "each sample once: \(context)")
    }

    func testWithoutLimitPredictCoversTheWholeLoaderOnEveryWorldSize() {
        for (samples, batchSize) in Self.fixtures {
            let base = loader(samples: samples, batchSize: batchSize)
            for world in 1...3 {
                XCTAssertEqual(plans(.predict, .none, base: base, world: world)[0].covered, base.batchIndices(), "world \(world)")
            }
        }
    }

    func testFastDevRunOverridesEveryStageLimit() {
        let trainer = Trainer(limitTrainBatches: 0.25, limitValBatches: 3, limitTestBatches: 0.0, limitPredictBatches: 1.0,
                              fastDevRun: Self.fastDevRunBatches + 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, logger: false)
        for stage in [LimitedLoader.train, .validation, .test, .predict] {
            XCTAssertEqual(trainer.batchLimit(stage), .count(Self.fastDevRunBatches + 1), "\(stage)")
        }
    }

    /// The sanity check runs at most numSanityValSteps of each rank's validation batches.
    func testSanityCheckCapsEachRanksValidationBatches() {
        let (samples, batchSize) = Self.fixtures[0]
        let base = loader(samples: samples, batchSize: batchSize)
        for world in 1...3 {
            for steps in 0...3 {
                let validation = plans(.validation, .none, base: base, world: world)[0]
                let sanity = validation.capped(by: .count(steps))
                XCTAssertEqual(sanity.perRank, validation.perRank.map { min(steps, $0) }, "world \(world), \(steps) steps")
                XCTAssertTrue(sanity.covered.allSatisfy(validation.covered.contains), "world \(world), \(steps) steps")
            }
        }
    }
}
