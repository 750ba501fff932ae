import Synchronization

/// The shards of one ``ShardedDataset`` mapped so far: a shard is mapped the first time a sample
/// of it is read, so a rank maps (and the page cache holds) only the shards its samples are in.
///
/// Shared by every copy of the dataset and read from worker threads; the mutex guards the table.
final class ShardMappings: Sendable {
    let index: ShardIndex
    let directory: String
    private let mapped: Mutex<[[MappedArray]?]>

    init(index: ShardIndex, directory: String) {
        self.index = index
        self.directory = directory
        self.mapped = Mutex(Array(repeating: nil, count: index.shards.count))
    }

    /// Shard `s`'s arrays in column order, mapping it now if nobody has.
    ///
    /// The index was checked at open, so a failure here means the files changed under the run
    /// (deleted, replaced by different data); that stops the run naming the file.
    func arrays(_ s: Int) -> [MappedArray] {
        if let arrays = mapped.withLock({ $0[s] }) { return arrays }
        // Mapped outside the lock (a system call per file); two threads racing map it twice and
        // keep one, which is harmless.
        let arrays: [MappedArray]
        do {
            arrays = try index.mapShard(s, directory: directory)
        } catch {
            tensorFailure("ShardedDataset", "cannot map shard \(s): \(error)")
        }
        return mapped.withLock { table in
            if let existing = table[s] { return existing }
            table[s] = arrays
            return arrays
        }
    }

    /// How many shards are mapped (tests check that a rank maps only its own).
    var mappedCount: Int { mapped.withLock { $0.reduce(0) { $0 + ($1 == nil ? 0 : 1) } } }
}
