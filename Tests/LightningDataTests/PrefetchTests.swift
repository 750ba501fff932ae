import Foundation
import LightningTestSupport
import XCTest
@testable import LightningData

final class PrefetchTests: XCTestCase {
    let data = TensorDataset(indexedMatrix(rows: 301, cols: 7), rangeLabels(301))

    /// Waits (briefly) for every worker thread to finish, then checks none is left.
    private func assertNoWorkersLeft(file: StaticString = #filePath, line: UInt = #line) {
        // Threads are joined when an iteration is released, so this should already hold.
        XCTAssertEqual(WorkerThread.live.load(ordering: .sequentiallyConsistent), 0, file: file, line: line)
    }

    func testPrefetchedBatchesEqualInlineBatches() {
        for epoch in 0..<3 {
            let inline = DataLoader(data, batchSize: 16, shuffle: true, seed: 21, prefetch: 0)
            let ahead = DataLoader(data, batchSize: 16, shuffle: true, seed: 21, prefetch: 2)
            inline.setEpoch(epoch)
            ahead.setEpoch(epoch)
            let a = Array(inline), b = Array(ahead)
            XCTAssertEqual(a.count, b.count)
            for (x, y) in zip(a, b) {
                XCTAssertEqual(x.0.scalars, y.0.scalars)
                XCTAssertEqual(x.1.int64Scalars, y.1.int64Scalars)
            }
        }
        assertNoWorkersLeft()
    }

    func testPrefetchOrderIsDeterministicAcrossRuns() {
        let runs = (0..<5).map { _ in labelOrder(DataLoader(data, batchSize: 8, shuffle: true, seed: 4, prefetch: 3)) }
        for run in runs.dropFirst() { XCTAssertEqual(run, runs[0]) }
    }

    func testBreakingEarlyStopsTheWorker() {
        for _ in 0..<20 {
            let loader = DataLoader(data, batchSize: 4, shuffle: true, seed: 1, prefetch: 2)
            var taken = 0
            for _ in loader {
                taken += 1
                if taken == 3 { break }
            }
            XCTAssertEqual(loader.position.batchesServed, 3)
            assertNoWorkersLeft()
        }
    }

    func testDroppingAnUnstartedIteratorStopsTheWorker() {
        do {
            let loader = DataLoader(data, batchSize: 4, prefetch: 2)
            let it = loader.makeIterator()
            _ = it
        }
        assertNoWorkersLeft()
    }

    func testWorkerStaysAtMostPrefetchBatchesAhead() {
        let built = batchesBuiltAheadAfterOneTaken { collate in
            DataLoader(TensorDataset(rangeLabels(100)), batchSize: 1, prefetch: 2, collate: collate)
        }
        // One taken, two queued, and at most one more built and blocked on the full queue.
        XCTAssertGreaterThanOrEqual(built, 3)
        XCTAssertLessThanOrEqual(built, 4)
    }

    /// The prefetch thread runs dataset code with grad mode on while the loop that consumes its
    /// batches evaluates inside `noGrad` (grad mode is per thread, as in PyTorch).
    func testPrefetchThreadIsNotInsideTheConsumersNoGrad() {
        // Unchecked: `seen` changes only under `lock`.
        final class Modes: @unchecked Sendable {
            let lock = NSLock()
            var seen: [Bool] = []
            func record(_ mode: Bool) { lock.lock(); seen.append(mode); lock.unlock() }
        }
        let modes = Modes()
        let loader = DataLoader(TensorDataset(rangeLabels(12)), batchSize: 3, prefetch: 2) { (samples: [Tensor]) -> Tensor in
            modes.record(GradMode.isEnabled)
            return Tensor.collate(samples)
        }
        let batches = noGrad { () -> Int in
            var count = 0
            for _ in loader {
                XCTAssertFalse(GradMode.isEnabled)
                count += 1
            }
            return count
        }
        XCTAssertEqual(batches, 4)
        XCTAssertEqual(modes.seen, [true, true, true, true], "the worker thread records graphs as usual")
        assertNoWorkersLeft()
    }

    func testEmptyDatasetYieldsNothing() {
        let loader = DataLoader(TensorDataset(rangeLabels(0)), batchSize: 4, prefetch: 2)
        XCTAssertEqual(loader.count, 0)
        XCTAssertEqual(Array(loader).count, 0)
        assertNoWorkersLeft()
    }
}
