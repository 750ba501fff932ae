import XCTest
@testable import LightningData

final class DataLoaderResumeTests: XCTestCase {
    let data = TensorDataset(indexedMatrix(rows: 23, cols: 2), rangeLabels(23))

    func testPositionCountsServedBatches() {
        let loader = DataLoader(data, batchSize: 5, shuffle: true, seed: 2)
        XCTAssertEqual(loader.position, DataLoaderPosition(epoch: 0, batchesServed: 0))
        var it = loader.makeIterator()
        _ = it.next(); _ = it.next()
        XCTAssertEqual(loader.position, DataLoaderPosition(epoch: 0, batchesServed: 2))
        while it.next() != nil {}
        XCTAssertEqual(loader.position, DataLoaderPosition(epoch: 0, batchesServed: 5))
    }

    /// A run interrupted after `k` batches of epoch 1 and resumed in a new loader sees exactly
    /// the batches the uninterrupted run saw after that point.
    func testResumeMidEpochYieldsExactlyTheRemainingBatches() throws {
        for prefetch in [0, 2] {
            let reference = DataLoader(data, batchSize: 5, shuffle: true, seed: 8, prefetch: prefetch)
            reference.setEpoch(1)
            let uninterrupted = labelOrder(reference)

            let interrupted = DataLoader(data, batchSize: 5, shuffle: true, seed: 8, prefetch: prefetch)
            interrupted.setEpoch(1)
            var seen: [[Int64]] = []
            for (_, y) in interrupted {
                seen.append(y.int64Scalars)
                if seen.count == 2 { break }
            }
            let saved = interrupted.position
            XCTAssertEqual(saved, DataLoaderPosition(epoch: 1, batchesServed: 2))

            let resumed = DataLoader(data, batchSize: 5, shuffle: true, seed: 8, prefetch: prefetch)
            try resumed.resume(from: saved)
            XCTAssertEqual(resumed.position, saved)
            resumed.setEpoch(1)  // a trainer calls this at every epoch start; it keeps the resume point
            let rest = labelOrder(resumed)
            XCTAssertEqual(seen + rest, uninterrupted, "prefetch \(prefetch)")
            XCTAssertEqual(resumed.position, DataLoaderPosition(epoch: 1, batchesServed: 5))

            // The following epoch is the one the uninterrupted run would have had.
            reference.setEpoch(2)
            XCTAssertEqual(labelOrder(resumed), labelOrder(reference))
            XCTAssertEqual(resumed.epoch, 2)
        }
    }

    func testResumeAtEpochEndContinuesWithTheNextEpoch() throws {
        let loader = DataLoader(data, batchSize: 5, shuffle: true, seed: 8)
        try loader.resume(from: DataLoaderPosition(epoch: 3, batchesServed: 5))
        let next = labelOrder(loader)
        XCTAssertEqual(loader.epoch, 4)
        let reference = DataLoader(data, batchSize: 5, shuffle: true, seed: 8)
        reference.setEpoch(4)
        XCTAssertEqual(next, labelOrder(reference))
    }

    func testSetEpochToAnotherEpochCancelsAResume() throws {
        let loader = DataLoader(data, batchSize: 5)
        try loader.resume(from: DataLoaderPosition(epoch: 0, batchesServed: 3))
        loader.setEpoch(1)
        XCTAssertEqual(labelOrder(loader).count, 5)
    }

    func testANewIterationRestartsTheEpochUnlessResumed() {
        let loader = DataLoader(data, batchSize: 5)
        for _ in loader { break }
        XCTAssertEqual(loader.position.batchesServed, 1)
        XCTAssertEqual(labelOrder(loader).count, 5, "a partial pass does not shorten the next one")
    }

    func testAnAbandonedIteratorNoLongerMovesThePosition() {
        let loader = DataLoader(data, batchSize: 5)
        var old = loader.makeIterator()
        _ = old.next()
        var new = loader.makeIterator()
        _ = new.next()
        _ = old.next()
        XCTAssertEqual(loader.position.batchesServed, 1)
        _ = new.next()
        XCTAssertEqual(loader.position.batchesServed, 2)
    }

    func testResumeRejectsPositionsFromAnotherConfiguration() {
        let loader = DataLoader(data, batchSize: 5)
        XCTAssertThrowsError(try loader.resume(from: DataLoaderPosition(epoch: 0, batchesServed: 6))) { error in
            XCTAssertEqual(error as? DataLoaderError, .positionOutOfRange(DataLoaderPosition(epoch: 0, batchesServed: 6), batchesPerEpoch: 5))
            XCTAssertTrue("\(error)".contains("5 batches per epoch"))
        }
        XCTAssertThrowsError(try loader.resume(from: DataLoaderPosition(epoch: -1, batchesServed: 0)))
        XCTAssertEqual(loader.position, DataLoaderPosition(epoch: 0, batchesServed: 0), "a rejected resume changes nothing")
    }

    func testPositionIsCodable() throws {
        let p = DataLoaderPosition(epoch: 4, batchesServed: 17)
        let decoded = try JSONDecoder().decode(DataLoaderPosition.self, from: JSONEncoder().encode(p))
        XCTAssertEqual(decoded, p)
        XCTAssertEqual(p.description, "epoch 4, batch 17")
    }
}
