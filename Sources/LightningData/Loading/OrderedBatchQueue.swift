import Foundation
import LightningTensor
import Synchronization

/// An epoch's batches built by worker threads, sample by sample, and handed to the consumer
/// in batch order.
///
/// Work is taken in batch order: a thread first builds unclaimed samples of the earliest batch
/// in progress, and only then starts the next batch. So every thread works on the batch the
/// loop needs next, and a batch waits on at most one sample per thread. At most `window`
/// batches are started ahead of the consumer, so memory stays bounded (PyTorch's
/// `prefetch_factor` per worker); cancelling wakes every waiting worker so it can exit.
///
/// Workers run at a low priority so the training step keeps its core. When its batch is not
/// ready, the consumer builds samples of it too (or starts it) rather than sit idle, so a
/// transform that costs about a step is shared by both cores instead of waiting for the one
/// the workers have. Waiting threads poll for up to ``spinLimitNanoseconds`` before sleeping:
/// the consumer while workers build its batch's last samples, a worker while the window is full.
/// A thread woken from sleep on an idle CPU resumes late (about 0.2 ms on the 2-core KVM guest
/// we bench on, a tenth of an MLP step), and what it waits for is usually microseconds away.
// Unchecked: every stored `var` changes only while holding `condition`.
final class OrderedBatchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private let start: (Int) -> BatchStart<Batch>
    private var ready: [Int: Batch] = [:]
    private var inProgress: [Int: SampleAssembly<Batch>] = [:]
    private var nextStart: Int
    private var nextOut: Int
    private let end: Int
    private let window: Int
    private var cancelled = false
    /// Counts every change that can give a waiting thread something to do (a batch finished,
    /// taken, or started); spinning threads poll it without the lock.
    private let changes = Atomic<Int>(0)

    /// How long a waiting thread polls before it sleeps.
    static var spinLimitNanoseconds: UInt64 { 1_000_000 }

    /// A queue for batches `batches`, at most `window` of them started ahead of the consumer;
    /// `start` begins building a batch (on whichever thread takes it).
    init(batches: Range<Int>, window: Int, start: @escaping (Int) -> BatchStart<Batch>) {
        nextStart = batches.lowerBound
        nextOut = batches.lowerBound
        end = batches.upperBound
        self.window = max(1, window)
        self.start = start
    }

    /// One unit of a worker's work: a sample of the earliest batch in progress, or the start of
    /// the next batch, waiting while there is none and the window is full. `false` once there is
    /// no work left for workers (every batch started and every sample claimed) or the consumer
    /// cancelled.
    func work() -> Bool {
        condition.lock()
        var spinDeadline: UInt64?
        while true {
            if cancelled { break }
            if let (number, assembly) = earliestWithUnclaimedSamples() {
                condition.unlock()
                if case .finished(let batch) = assembly.buildNext() { finish(number, batch) }
                return true
            }
            if nextStart < end && nextStart < nextOut + window {
                let number = claimStart()
                condition.unlock()
                begin(number, start(number))
                return true
            }
            if nextStart >= end { break }
            // The window is full: poll for the consumer to take a batch before sleeping, so a
            // worker that keeps up is not put to sleep and woken for every batch.
            let deadline = spinDeadline ?? DispatchTime.now().uptimeNanoseconds + Self.spinLimitNanoseconds
            spinDeadline = deadline
            if DispatchTime.now().uptimeNanoseconds < deadline { poll(until: deadline) } else { condition.wait() }
        }
        condition.unlock()
        return false
    }

    /// The next batch in order; while it is not ready, builds unclaimed samples of it (or
    /// starts it), else polls briefly, else waits. `nil` after the last batch.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        // Only a take that may wait reads the clock: the usual batch is ready.
        let mayWait = !cancelled && nextOut < end && ready[nextOut] == nil
        let spinDeadline = mayWait ? DispatchTime.now().uptimeNanoseconds + Self.spinLimitNanoseconds : 0
        while !cancelled && nextOut < end && ready[nextOut] == nil {
            let number = nextOut
            if let assembly = inProgress[number], assembly.hasUnclaimedSamples {
                condition.unlock()
                // As on a worker: the loop's `noGrad` or inference mode is not the transform's.
                let progress = withNewThreadModes { assembly.buildNext() }
                if case .finished(let batch) = progress { finish(number, batch) }
                condition.lock()
            } else if nextStart == number {
                _ = claimStart()
                condition.unlock()
                let started = withNewThreadModes { start(number) }
                begin(number, started)
                condition.lock()
            } else if DispatchTime.now().uptimeNanoseconds < spinDeadline {
                // Workers are building its last samples: poll until something changes or the
                // spin limit passes.
                poll(until: spinDeadline)
            } else {
                condition.wait()
            }
        }
        if cancelled || nextOut >= end { return nil }
        let batch = ready.removeValue(forKey: nextOut)
        nextOut += 1
        changes.add(1, ordering: .releasing)
        condition.broadcast()
        return batch
    }

    /// Stops the workers and drops built batches.
    func cancel() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        for assembly in inProgress.values { assembly.cancel() }
        inProgress.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// Releases the lock and polls, yielding the CPU to any thread that shares it, until some
    /// change is recorded or `deadline` passes; then takes the lock again.
    private func poll(until deadline: UInt64) {
        let seen = changes.load(ordering: .acquiring)
        condition.unlock()
        while changes.load(ordering: .acquiring) == seen && DispatchTime.now().uptimeNanoseconds < deadline {
            sched_yield()
        }
        condition.lock()
    }

    /// Takes the next batch number to start (the caller holds the lock).
    private func claimStart() -> Int {
        nextStart += 1
        return nextStart - 1
    }

    /// The earliest batch in progress with a sample left to claim (the caller holds the lock).
    private func earliestWithUnclaimedSamples() -> (Int, SampleAssembly<Batch>)? {
        for number in nextOut..<nextStart {
            if let assembly = inProgress[number], assembly.hasUnclaimedSamples { return (number, assembly) }
        }
        return nil
    }

    /// Records what starting batch `number` gave: a finished batch, or samples for any thread.
    private func begin(_ number: Int, _ started: BatchStart<Batch>) {
        switch started {
        case .whole(let batch):
            finish(number, batch)
        case .samples(let assembly):
            condition.lock()
            if cancelled { assembly.cancel() } else { inProgress[number] = assembly }
            changes.add(1, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Stores batch `number`, finished by whichever thread built its last sample (dropped once
    /// cancelled).
    private func finish(_ number: Int, _ batch: Batch) {
        condition.lock()
        inProgress[number] = nil
        if !cancelled { ready[number] = batch }
        changes.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }
}
