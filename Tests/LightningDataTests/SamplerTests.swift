import XCTest
@testable import LightningData

final class SamplerTests: XCTestCase {
    func testSequentialSampler() {
        let s = SequentialSampler(count: 4)
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(s.indices(epoch: 0), [0, 1, 2, 3])
        XCTAssertEqual(s.indices(epoch: 9), [0, 1, 2, 3])
    }

    func testRandomSamplerDependsOnlyOnSeedAndEpoch() {
        let a = RandomSampler(count: 50, seed: 3), b = RandomSampler(count: 50, seed: 3)
        XCTAssertEqual(a.indices(epoch: 0).sorted(), Array(0..<50))
        XCTAssertEqual(a.indices(epoch: 0), b.indices(epoch: 0))
        XCTAssertEqual(a.indices(epoch: 5), b.indices(epoch: 5))
        XCTAssertNotEqual(a.indices(epoch: 0), a.indices(epoch: 1))
        XCTAssertEqual(a.indices(epoch: 2), Generator(seed: 5).permutation(50), "epoch e uses seed + e")
    }

    /// The exact shards PyTorch's DistributedSampler produced (fixture `distributed_sampler`).
    func testDistributedSamplerMatchesPyTorch() throws {
        let cases = try SemanticsFixture.load().distributedSampler
        XCTAssertFalse(cases.isEmpty)
        for (key, expected) in cases {
            var params: [String: String] = [:]
            for part in key.split(separator: ",") {
                let kv = part.split(separator: "=")
                params[String(kv[0])] = String(kv[1])
            }
            let n = Int(params["n"]!)!, world = Int(params["world"]!)!
            let shuffle = params["shuffle"] == "True", dropLast = params["drop_last"] == "True"
            XCTAssertFalse(shuffle, "torch's shuffled numbers are not reproducible here; the fixture has none")
            XCTAssertEqual(expected.count, world, key)
            for rank in 0..<world {
                let sampler = DistributedSampler(datasetCount: n, worldSize: world, rank: rank, shuffle: false, dropLast: dropLast)
                XCTAssertEqual(sampler.indices(epoch: 0), expected[rank], "\(key) rank \(rank)")
                XCTAssertEqual(sampler.count, expected[rank].count, "\(key) rank \(rank)")
                XCTAssertEqual(sampler.indices(epoch: 3), expected[rank], "no shuffle: every epoch is the same")
            }
        }
    }

    func testDistributedSamplerPadsCyclicallyWhenWorldExceedsData() {
        // n=2, world=5: PyTorch pads [0, 1] to [0, 1, 0, 1, 0].
        let shards = (0..<5).map { DistributedSampler(datasetCount: 2, worldSize: 5, rank: $0, shuffle: false).indices(epoch: 0) }
        XCTAssertEqual(shards, [[0], [1], [0], [1], [0]])
        let dropped = (0..<5).map { DistributedSampler(datasetCount: 2, worldSize: 5, rank: $0, shuffle: false, dropLast: true).indices(epoch: 0) }
        XCTAssertEqual(dropped, [[], [], [], [], []])
        XCTAssertEqual(DistributedSampler(datasetCount: 0, worldSize: 3, rank: 1).indices(epoch: 0), [])
    }

    func testShuffledShardsArePaddedPartitionsAgreedByAllRanks() {
        for (n, world, dropLast) in [(10, 3, false), (10, 3, true), (12, 4, false), (7, 2, false), (5, 8, false)] {
            let order = Generator(seed: 11 + 4).permutation(n)
            var union: [Int] = [], nextEpoch: [Int] = []
            var sizes: Set<Int> = []
            for rank in 0..<world {
                let s = DistributedSampler(datasetCount: n, worldSize: world, rank: rank, shuffle: true, seed: 11, dropLast: dropLast)
                let shard = s.indices(epoch: 4)
                XCTAssertEqual(shard, s.indices(epoch: 4), "deterministic")
                nextEpoch += s.indices(epoch: 5)
                // Rank r takes every world-th element of the (padded) seed+epoch permutation.
                let padded = (0..<s.count * world).map { order[$0 % n] }
                XCTAssertEqual(shard, stride(from: rank, to: padded.count, by: world).map { padded[$0] })
                union += shard
                sizes.insert(shard.count)
            }
            XCTAssertEqual(sizes.count, 1, "every rank runs the same number of samples")
            XCTAssertNotEqual(union, nextEpoch, "a new order for a new epoch")
            if dropLast {
                XCTAssertEqual(Set(union).count, union.count, "dropping the tail never repeats a sample")
                XCTAssertEqual(union.count, (n / world) * world)
            } else {
                XCTAssertEqual(Set(union), Set(0..<n), "padding keeps every sample")
                XCTAssertEqual(union.count, ((n + world - 1) / world) * world)
            }
        }
    }

    func testUnpaddedShardingVisitsEverySampleOnceInRankOrder() {
        for (n, world) in [(10, 3), (7, 7), (2, 5), (0, 2), (1797, 4)] {
            var all: [Int] = []
            for rank in 0..<world {
                let s = UnpaddedDistributedSampler(datasetCount: n, worldSize: world, rank: rank)
                let shard = s.indices(epoch: 0)
                XCTAssertEqual(shard.count, s.count)
                for (local, index) in shard.enumerated() { XCTAssertEqual(s.datasetIndex(ofLocal: local), index) }
                all += shard
            }
            XCTAssertEqual(all, Array(0..<n), "n=\(n) world=\(world): rank-ordered concatenation is dataset order")
        }
        XCTAssertEqual(UnpaddedDistributedSampler.shardRanges(count: 10, worldSize: 3), [0..<4, 4..<7, 7..<10])
    }
}
