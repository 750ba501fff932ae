import Foundation

/// A bounded single-producer, single-consumer queue of batches.
///
/// The bound keeps the worker at most `capacity` batches ahead, so memory stays flat and the
/// worker does not compete with the training step for longer than it must. Cancelling wakes a
/// producer blocked on a full queue so it can exit.
// Unchecked: `items`, `finished` and `cancelled` change only while holding `condition`.
final class PrefetchBuffer<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    // Removing from the front costs O(capacity), which is tiny (about two batches).
    private var items: [Batch] = []
    private var finished = false
    private var cancelled = false
    private let capacity: Int

    /// A buffer holding at most `capacity` batches.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        items.reserveCapacity(self.capacity)
    }

    /// Adds a batch, waiting while the buffer is full; `false` once the consumer has cancelled.
    func put(_ batch: Batch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        items.append(batch)
        condition.broadcast()
        return true
    }

    /// Marks the end of the stream (the producer has no more batches).
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch, waiting for the producer; `nil` once the stream has ended.
    func take() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if items.isEmpty { return nil }
        let batch = items.removeFirst()
        condition.broadcast()
        return batch
    }

    /// Stops the producer and drops queued batches.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
