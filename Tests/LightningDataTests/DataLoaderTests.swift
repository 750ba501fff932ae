import XCTest
@testable import LightningData

/// A dataset without the fast batch path, so the loader collates sample by sample.
private struct SquaresDataset: Dataset {
    let count: Int
    subscript(index: Int) -> (Tensor, Tensor) {
        (Tensor([Float(index * index)]), Tensor(shape: [], int64Scalars: [Int64(index)]))
    }
}

final class DataLoaderTests: XCTestCase {
    let data = TensorDataset(indexedMatrix(rows: 10, cols: 3), rangeLabels(10))

    func testSequentialBatchesAndPartialLastBatch() {
        let loader = DataLoader(data, batchSize: 4)
        XCTAssertEqual(loader.count, 3)
        let batches = Array(loader)
        XCTAssertEqual(batches.map { $0.0.shape }, [[4, 3], [4, 3], [2, 3]])
        XCTAssertEqual(batches.map { $0.1.int64Scalars }, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]])
        XCTAssertEqual(batches[2].0.scalars, [800, 801, 802, 900, 901, 902])
        XCTAssertEqual(batches[0].1.dtype, .int64)
    }

    func testDropLastSkipsThePartialBatch() {
        let loader = DataLoader(data, batchSize: 4, dropLast: true)
        XCTAssertEqual(loader.count, 2)
        XCTAssertEqual(labelOrder(loader), [[0, 1, 2, 3], [4, 5, 6, 7]])
        XCTAssertEqual(DataLoader(data, batchSize: 5, dropLast: true).count, 2)
        XCTAssertEqual(DataLoader(data, batchSize: 11, dropLast: true).count, 0)
        XCTAssertEqual(Array(DataLoader(data, batchSize: 11, dropLast: true)).count, 0)
    }

    func testShuffleIsAPermutationDependingOnlyOnSeedAndEpoch() {
        let a = DataLoader(data, batchSize: 3, shuffle: true, seed: 5)
        let b = DataLoader(data, batchSize: 3, shuffle: true, seed: 5)
        let first = labelOrder(a)
        XCTAssertEqual(first.flatMap { $0 }.sorted(), Array(0..<10))
        XCTAssertEqual(first.flatMap { $0 }.map(Int.init), Generator(seed: 5).permutation(10))
        XCTAssertEqual(first, labelOrder(b), "same seed, same epoch, same order")
        b.setEpoch(1)
        let second = labelOrder(b)
        XCTAssertNotEqual(first, second, "a new order each epoch")
        let c = DataLoader(data, batchSize: 3, shuffle: true, seed: 5)
        c.setEpoch(1)
        XCTAssertEqual(labelOrder(c), second)
    }

    func testPlainLoopOverEpochsAdvancesTheEpoch() {
        let loader = DataLoader(data, batchSize: 4, shuffle: true, seed: 1)
        let e0 = labelOrder(loader)
        XCTAssertEqual(loader.position, DataLoaderPosition(epoch: 0, batchesServed: 3))
        let e1 = labelOrder(loader)
        XCTAssertEqual(loader.epoch, 1)
        XCTAssertNotEqual(e0, e1)
        loader.setEpoch(0)
        XCTAssertEqual(labelOrder(loader), e0, "setEpoch replays an epoch")
        loader.setEpoch(0)
        XCTAssertEqual(labelOrder(loader), e0)
    }

    func testDefaultSeedComesFromTheDefaultGenerator() {
        let saved = Generator.default.state
        defer { Generator.default.state = saved }
        Generator.default.manualSeed(1234)
        XCTAssertEqual(DataLoader(data, batchSize: 2, shuffle: true).seed, 1234)
    }

    func testCustomDatasetUsesPerSampleCollation() {
        let loader = DataLoader(SquaresDataset(count: 5), batchSize: 2)
        let batches = Array(loader)
        XCTAssertEqual(batches.map { $0.0.scalars }, [[0, 1], [4, 9], [16]])
        XCTAssertEqual(batches.map { $0.0.shape }, [[2, 1], [2, 1], [1, 1]])
        XCTAssertEqual(batches[1].1.int64Scalars, [2, 3])
    }

    func testCustomCollateAndOtherSampleTypes() {
        let sums = DataLoader(SquaresDataset(count: 4), batchSize: 2) { samples in samples.map { $0.0.scalars[0] }.reduce(0, +) }
        XCTAssertEqual(Array(sums), [1, 13])
        let single = DataLoader(TensorDataset(indexedMatrix(rows: 3, cols: 2)), batchSize: 2)
        XCTAssertEqual(Array(single).map(\.shape), [[2, 2], [1, 2]])
        let arrays = DataLoader(TensorDataset(tensors: [rangeLabels(3), rangeLabels(3)]), batchSize: 3)
        XCTAssertEqual(Array(arrays).first?.map(\.int64Scalars), [[0, 1, 2], [0, 1, 2]])
    }

    func testCustomSampler() {
        let loader = DataLoader(data, batchSize: 2, sampler: DistributedSampler(datasetCount: 10, worldSize: 3, rank: 1, shuffle: false))
        XCTAssertEqual(loader.count, 2)
        XCTAssertEqual(labelOrder(loader), [[1, 4], [7, 0]])
    }

    func testShuffledDistributedSamplerFollowsSetEpoch() {
        let sampler = DistributedSampler(datasetCount: 10, worldSize: 2, rank: 1, shuffle: true, seed: 6)
        let loader = DataLoader(data, batchSize: 2, sampler: sampler)
        for epoch in [0, 1, 5] {
            loader.setEpoch(epoch)
            XCTAssertEqual(labelOrder(loader).flatMap { $0 }.map(Int.init), sampler.indices(epoch: epoch))
        }
    }

    func testBatchIndicesDescribeEachBatch() {
        let loader = DataLoader(data, batchSize: 4, shuffle: true, seed: 9)
        loader.setEpoch(2)
        let indices = loader.batchIndices()
        XCTAssertEqual(indices.map { $0.map(Int64.init) }, labelOrder(loader))
        XCTAssertEqual(loader.batchIndices(epoch: 2), indices)
    }

    func testShardedLoadersSplitTheEpochLikeDistributedSampler() {
        let loader = DataLoader(data, batchSize: 2, shuffle: true, seed: 3)
        loader.setEpoch(1)
        let full = labelOrder(loader).flatMap { $0 }
        var union: [Int64] = []
        for rank in 0..<3 {
            let shard = loader.sharded(rank: rank, worldSize: 3, padded: true)
            shard.setEpoch(1)
            XCTAssertEqual(shard.count, 2)
            let expected = DistributedSampler(datasetCount: 10, worldSize: 3, rank: rank, shuffle: true, seed: 3).indices(epoch: 1)
            XCTAssertEqual(labelOrder(shard).flatMap { $0 }.map(Int.init), expected)
            union += labelOrder(shard).flatMap { $0 }
        }
        XCTAssertEqual(Set(union), Set(full))
        XCTAssertEqual(union.count, 12)
    }

    func testUnpaddedShardsConcatenateBackToTheLoadersOrder() {
        let loader = DataLoader(data, batchSize: 3)
        let shards = (0..<4).map { loader.sharded(rank: $0, worldSize: 4, padded: false) }
        XCTAssertEqual(shards.map(\.count), [1, 1, 1, 1])
        XCTAssertEqual(shards.flatMap { labelOrder($0).flatMap { $0 } }, Array(0..<10))
        XCTAssertEqual(shards[3].batchIndices(), [[8, 9]])
    }
}
