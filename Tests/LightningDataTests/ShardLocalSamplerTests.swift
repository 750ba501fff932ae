import LightningTestSupport
import XCTest
@testable import LightningData

/// Shard-local order: each epoch every shard goes to exactly one rank (fewer shards than ranks:
/// one each, shared), a rank's indices come only from its shards and cover each of their samples,
/// every rank yields the same count (padded from its own samples), the order is a pure function
/// of (seed, epoch, rank), and the trainer's sharding uses it instead of striding; resuming
/// mid-epoch continues with the same batches.
final class ShardLocalSamplerTests: XCTestCase {
    /// Seven shards of sizes 8…8 and a short last one, as positions 0..<50.
    private let groups: [[Int]] = stride(from: 0, to: 50, by: 8).map { Array($0..<min(50, $0 + 8)) }

    func testEachEpochAssignsEveryShardToOneRankAndPadsFromOwnShards() {
        for world in [1, 2, 3, 7] {
            let perRank = (groups.count + world - 1) / world
            let expectedCount = groups.map(\.count).sorted(by: >).prefix(perRank).reduce(0, +)
            for epoch in 0..<4 {
                var seen: [Int] = []
                for rank in 0..<world {
                    let sampler = ShardLocalSampler(groups: groups, seed: 9).forRank(rank, worldSize: world) as! ShardLocalSampler
                    let shards = sampler.shards(epoch: epoch)
                    seen += shards
                    let own = Set(shards.flatMap { groups[$0] })
                    let indices = sampler.indices(epoch: epoch)
                    XCTAssertEqual(sampler.count, expectedCount)
                    XCTAssertEqual(indices.count, expectedCount, "world \(world) rank \(rank) epoch \(epoch)")
                    XCTAssertEqual(Set(indices), own, "only and all of its own shards' samples")
                    XCTAssertEqual(indices, sampler.indices(epoch: epoch), "a pure function of seed, epoch and rank")
                }
                XCTAssertEqual(seen.sorted(), Array(0..<groups.count), "every shard read by exactly one rank")
            }
        }
        // More ranks than shards: each rank reads one shard.
        let few = [[0, 1], [2, 3, 4]]
        for rank in 0..<5 {
            let sampler = ShardLocalSampler(groups: few, seed: 1, worldSize: 5, rank: rank)
            XCTAssertEqual(sampler.shards(epoch: 0).count, 1)
            XCTAssertEqual(sampler.indices(epoch: 0).count, 3)
        }
    }

    func testEpochsPermuteTheShards() {
        let sampler = ShardLocalSampler(groups: groups, seed: 3, worldSize: 3, rank: 0)
        let assignments = Set((0..<8).map { sampler.shards(epoch: $0) })
        XCTAssertGreaterThan(assignments.count, 1)
    }

    func testTrainerShardingUsesTheSamplersOwnSplit() {
        let loader = DataLoader(TensorDataset(Tensor.rand([50, 2], generator: Generator(seed: 1))), batchSize: 4,
                                sampler: ShardLocalSampler(groups: groups, seed: 2))
        for rank in 0..<3 {
            let shard = loader.sharded(rank: rank, worldSize: 3, padded: true)
            let expected = ShardLocalSampler(groups: groups, seed: 2, worldSize: 3, rank: rank).indices(epoch: 1)
            XCTAssertEqual(shard.batchIndices(epoch: 1).flatMap { $0 }, expected)
        }
    }

    func testResumeMidEpochGivesTheRemainingBatches() throws {
        let data = TensorDataset(Tensor.rand([50, 2], generator: Generator(seed: 1)))
        func loader() -> DataLoader<Tensor> {
            DataLoader(data, batchSize: 4, sampler: ShardLocalSampler(groups: groups, seed: 2)).sharded(rank: 1, worldSize: 3, padded: true)
        }
        let whole = loader()
        whole.setEpoch(2)
        let all = Array(whole).map(\.scalars)
        let resumed = loader()
        try resumed.resume(from: DataLoaderPosition(epoch: 2, batchesServed: 3))
        XCTAssertEqual(Array(resumed).map(\.scalars), Array(all[3...]))
    }
}
