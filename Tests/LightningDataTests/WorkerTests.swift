import Foundation
import LightningTestSupport
import Synchronization
import XCTest
@testable import LightningData

/// Parallel workers and per-sample transforms: batches arrive in order, do not depend on the
/// number of workers, repeat across runs and resumes, and early stops leave no thread behind.
final class WorkerTests: XCTestCase {
    let n = 97
    lazy var base = TensorDataset(indexedMatrix(rows: n, cols: 3), rangeLabels(n))

    /// Adds one uniform draw of the sample's generator to every feature (a stand-in for noise).
    lazy var noisy = base.map { (sample: (Tensor, Tensor), rng: Generator) -> (Tensor, Tensor) in
        let u = rng.nextUniform()
        return (Tensor(shape: sample.0.shape, scalars: sample.0.scalars.map { $0 + u }), sample.1)
    }

    private func batches(_ loader: DataLoader<(Tensor, Tensor)>) -> [([Float], [Int64])] {
        loader.map { ($0.0.scalars, $0.1.int64Scalars) }
    }

    private func assertNoWorkersLeft(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(WorkerThread.live.load(ordering: .sequentiallyConsistent), 0, file: file, line: line)
    }

    func testWorkersRunNicerThanTheTrainingThread() {
        let caller = WorkerThread.currentNiceness()
        let callerThread = pthread_self()
        // (niceness, built on the training thread) per sample.
        let seen = Mutex<[(Int32, Bool)]>([])
        let probe = base.map { (sample: (Tensor, Tensor), _: Generator) -> (Tensor, Tensor) in
            let mine = (WorkerThread.currentNiceness(), pthread_equal(pthread_self(), callerThread) != 0)
            seen.withLock { $0.append(mine) }
            return sample
        }
        for loader in [DataLoader(probe, batchSize: 8, numWorkers: 2), DataLoader(probe, batchSize: 8, prefetch: 2)] {
            seen.withLock { $0.removeAll() }
            // A step's worth of sleep per batch lets the workers get ahead (with no step, the
            // loop waits for every batch and builds most samples itself).
            XCTAssertEqual(loader.map { Thread.sleep(forTimeInterval: 0.002); return $0.1.count }.reduce(0, +), n)
            let built = seen.withLock { $0 }
            XCTAssertEqual(built.count, n, "every sample built once")
            let onWorkers = built.filter { !$0.1 }.map(\.0)
            XCTAssertFalse(onWorkers.isEmpty)
            XCTAssertEqual(Set(onWorkers), [min(caller + WorkerThread.niceIncrement, 19)], "workers yield to the training thread")
            XCTAssertEqual(Set(built.filter(\.1).map(\.0)).subtracting([caller]), [], "the training thread helps at its own priority")
        }
        XCTAssertEqual(WorkerThread.currentNiceness(), caller, "the training thread keeps its priority")
        assertNoWorkersLeft()
    }

    func testTheTrainingThreadBuildsSamplesOfTheBatchItWaitsFor() {
        // One worker and a transform slower than the loop: the loop would wait for every batch,
        // so it builds samples of it instead; the batches are those one thread builds.
        // The loop runs in inference mode; a transform sees a worker's modes wherever it runs.
        let callerThread = pthread_self()
        let onCaller = SharedCounter(), withoutGrad = SharedCounter()
        let slow = noisy.map { (sample: (Tensor, Tensor), _: Generator) -> (Tensor, Tensor) in
            Thread.sleep(forTimeInterval: 0.002)
            if pthread_equal(pthread_self(), callerThread) != 0 { onCaller.bump() }
            if !GradMode.isEnabled || GradMode.isInferenceMode { withoutGrad.bump() }
            return sample
        }
        let reference = batches(DataLoader(slow, batchSize: 8, shuffle: true, seed: 3, prefetch: 0))
        XCTAssertEqual(onCaller.value, n)
        let run = inferenceMode { batches(DataLoader(slow, batchSize: 8, shuffle: true, seed: 3, numWorkers: 1)) }
        XCTAssertEqual(withoutGrad.value, 0, "no transform ran inside the loop's inference mode")
        XCTAssertEqual(run.map(\.0), reference.map(\.0))
        XCTAssertEqual(run.map(\.1), reference.map(\.1))
        XCTAssertGreaterThan(onCaller.value, n, "the loop built samples of the batch it waited for")
        XCTAssertLessThan(onCaller.value, 2 * n, "the worker built samples too")
        assertNoWorkersLeft()
    }

    func testWorkersShareTheEarliestBatchBeforeStartingTheNext() {
        // Three workers and a slow transform: they build samples of the batch the loop needs
        // next together, rather than one batch each, so samples start in batch order. Only
        // while batches are being opened (three at once at the start) may a sample start two
        // batches behind the latest; one batch per worker would do so for a third of them.
        let order = Mutex<[Int]>([])
        let slow = base.map { (sample: (Tensor, Tensor), _: Generator) -> (Tensor, Tensor) in
            order.withLock { $0.append(Int(sample.1.int64Scalars[0])) }
            Thread.sleep(forTimeInterval: 0.001)
            return sample
        }
        let loader = DataLoader(slow, batchSize: 8, shuffle: true, seed: 6, numWorkers: 3, prefetchFactor: 2)
        var batchOf: [Int: Int] = [:]
        for (b, indices) in loader.batchIndices().enumerated() { for i in indices { batchOf[i] = b } }
        XCTAssertEqual(labelOrder(loader), loader.batchIndices().map { $0.map(Int64.init) })
        let started = order.withLock { $0 }.map { batchOf[$0]! }
        XCTAssertEqual(started.count, n)
        var latest = 0, behind = 0
        for b in started {
            if b <= latest - 2 { behind += 1 }
            latest = max(latest, b)
        }
        XCTAssertLessThanOrEqual(behind, 8, "\(behind) of \(n) samples started two or more batches behind the latest")
        assertNoWorkersLeft()
    }

    func testWaitingThreadsPollOnlyBrieflyThenSleep() {
        // The window is full and the loop holds its batch for 0.3 s: the workers poll for at
        // most `spinLimitNanoseconds`, then sleep, so the process uses almost no CPU meanwhile.
        func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }
        do {
            let loader = DataLoader(base, batchSize: 4, numWorkers: 2, prefetchFactor: 1)
            var it = loader.makeIterator()
            XCTAssertNotNil(it.next())
            Thread.sleep(forTimeInterval: 0.05)
            let before = cpuSeconds()
            Thread.sleep(forTimeInterval: 0.3)
            let used = cpuSeconds() - before
            XCTAssertLessThan(used, 0.1, "waiting workers used \(used) s of CPU in 0.3 s")
            withExtendedLifetime(it) {}
        }
        assertNoWorkersLeft()
    }

    func testTransformDrawsFromTheSampleGeneratorOfSeedEpochAndIndex() {
        let loader = DataLoader(noisy, batchSize: 8, shuffle: true, seed: 11, numWorkers: 2)
        for epoch in [0, 3] {
            loader.setEpoch(epoch)
            for (features, labels) in batches(loader) {
                for (k, label) in labels.enumerated() {
                    let i = Int(label)
                    let u = SampleContext(seed: 11, epoch: epoch).generator(for: i).nextUniform()
                    XCTAssertEqual(Array(features[3 * k..<3 * k + 3]), (0..<3).map { Float(i * 100 + $0) + u })
                }
            }
        }
        assertNoWorkersLeft()
    }

    func testBatchesDoNotDependOnWorkersAndRepeatAcrossRuns() {
        let reference = batches(DataLoader(noisy, batchSize: 7, shuffle: true, seed: 5, prefetch: 0))
        for workers in [1, 2, 3, 4] {
            for factor in [1, 2] {
                let run = batches(DataLoader(noisy, batchSize: 7, shuffle: true, seed: 5, numWorkers: workers, prefetchFactor: factor))
                XCTAssertEqual(run.map(\.0), reference.map(\.0), "numWorkers \(workers), prefetchFactor \(factor)")
                XCTAssertEqual(run.map(\.1), reference.map(\.1), "numWorkers \(workers), prefetchFactor \(factor)")
            }
        }
        let loader = DataLoader(noisy, batchSize: 7, shuffle: true, seed: 5, numWorkers: 2)
        loader.setEpoch(1)
        XCTAssertNotEqual(batches(loader).map(\.0), reference.map(\.0), "another epoch draws other noise")
        assertNoWorkersLeft()
    }

    func testShardedLoadersKeepWorkersAndDrawEachSampleAsOneProcessDoes() {
        let whole = DataLoader(noisy, batchSize: 6, shuffle: true, seed: 13, prefetch: 0)
        whole.setEpoch(1)
        var oneProcess: [Int64: [Float]] = [:]
        for (features, labels) in batches(whole) {
            for (k, label) in labels.enumerated() { oneProcess[label] = Array(features[3 * k..<3 * k + 3]) }
        }
        for rank in 0..<2 {
            let shard = whole.sharded(rank: rank, worldSize: 2, padded: true)
            XCTAssertEqual(shard.numWorkers, 0)
            let workers = DataLoader(noisy, batchSize: 6, shuffle: true, seed: 13, numWorkers: 2).sharded(rank: rank, worldSize: 2, padded: true)
            XCTAssertEqual(workers.numWorkers, 2)
            shard.setEpoch(1)
            workers.setEpoch(1)
            let a = batches(shard), b = batches(workers)
            XCTAssertEqual(a.map(\.0), b.map(\.0))
            // A sample's noise depends on its index alone, so each rank draws what one process draws.
            for (features, labels) in b {
                for (k, label) in labels.enumerated() { XCTAssertEqual(Array(features[3 * k..<3 * k + 3]), oneProcess[label]) }
            }
        }
        assertNoWorkersLeft()
    }

    func testOrderIsPreservedWhenWorkersFinishOutOfOrder() {
        // Early batches take longest, so later ones are ready first.
        let slow = base.map { (sample: (Tensor, Tensor), _: Generator) -> (Tensor, Tensor) in
            let label = sample.1.int64Scalars[0]
            if label % 5 == 0 { Thread.sleep(forTimeInterval: 0.002) }
            return sample
        }
        let loader = DataLoader(slow, batchSize: 3, shuffle: true, seed: 2, numWorkers: 4, prefetchFactor: 2)
        let expected = loader.batchIndices().map { $0.map(Int64.init) }
        XCTAssertEqual(labelOrder(loader), expected)
        assertNoWorkersLeft()
    }

    func testResumeWithWorkersContinuesTheSameStream() throws {
        let uninterrupted = DataLoader(noisy, batchSize: 5, shuffle: true, seed: 8, numWorkers: 3)
        uninterrupted.setEpoch(2)
        let all = batches(uninterrupted)
        let interrupted = DataLoader(noisy, batchSize: 5, shuffle: true, seed: 8, numWorkers: 2)
        interrupted.setEpoch(2)
        var seen: [([Float], [Int64])] = []
        for batch in interrupted {
            seen.append((batch.0.scalars, batch.1.int64Scalars))
            if seen.count == 4 { break }
        }
        let resumed = DataLoader(noisy, batchSize: 5, shuffle: true, seed: 8, numWorkers: 1)
        try resumed.resume(from: interrupted.position)
        let rest = batches(resumed)
        XCTAssertEqual((seen + rest).map(\.0), all.map(\.0))
        XCTAssertEqual((seen + rest).map(\.1), all.map(\.1))
        assertNoWorkersLeft()
    }

    func testBreakingEarlyStopsEveryWorker() {
        for workers in [1, 2, 4] {
            let loader = DataLoader(noisy, batchSize: 4, shuffle: true, seed: 1, numWorkers: workers, prefetchFactor: 2)
            var taken = 0
            for _ in loader {
                taken += 1
                if taken == 2 { break }
            }
            XCTAssertEqual(loader.position.batchesServed, 2)
            assertNoWorkersLeft()
        }
        do {
            let loader = DataLoader(noisy, batchSize: 4, numWorkers: 3)
            _ = loader.makeIterator()
        }
        assertNoWorkersLeft()
    }

    func testWorkersStayWithinPrefetchFactorBatchesAhead() {
        let built = batchesBuiltAheadAfterOneTaken { collate in
            DataLoader(TensorDataset(rangeLabels(100)), batchSize: 1, numWorkers: 2, prefetchFactor: 1, collate: collate)
        }
        // One taken, and numWorkers × prefetchFactor = 2 built ahead of the loop: no more.
        XCTAssertEqual(built, 3)
    }
}
