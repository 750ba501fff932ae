import Foundation

/// Hands out an epoch's batch numbers to worker threads and gives their batches back to the
/// consumer in batch order, whichever worker finishes first.
///
/// Workers claim batch numbers in increasing order; a claim waits while `window` batches are
/// already claimed ahead of the consumer, so memory stays bounded (PyTorch's `prefetch_factor`
/// per worker) and a slow batch cannot let the others run arbitrarily far ahead. Cancelling
/// wakes every waiting worker so it can exit.
// Unchecked: every stored `var` changes only while holding `condition`.
final class OrderedBatchQueue<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Batch] = [:]
    private var nextClaim: Int
    private var nextOut: Int
    private let end: Int
    private let window: Int
    private var cancelled = false

    /// A queue for batches `batches`, at most `window` of them claimed ahead of the consumer.
    init(batches: Range<Int>, window: Int) {
        nextClaim = batches.lowerBound
        nextOut = batches.lowerBound
        end = batches.upperBound
        self.window = max(1, window)
    }

    /// The next batch number to build, waiting while the window is full; `nil` when every
    /// batch is claimed or the consumer has cancelled.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextClaim < end && nextClaim >= nextOut + window { condition.wait() }
        if cancelled || nextClaim >= end { return nil }
        nextClaim += 1
        return nextClaim - 1
    }

    /// Stores batch `number`, built by a worker (dropped once cancelled).
    func deliver(_ number: Int, _ batch: Batch) {
        condition.lock()
        if !cancelled { ready[number] = batch }
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch in order, waiting for the worker building it; `nil` after the last.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while !cancelled && nextOut < end && ready[nextOut] == nil { condition.wait() }
        if cancelled || nextOut >= end { return nil }
        let batch = ready.removeValue(forKey: nextOut)
        nextOut += 1
        condition.broadcast()
        return batch
    }

    /// Stops the workers and drops built batches.
    func cancel() {
        condition.lock()
        cancelled = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
