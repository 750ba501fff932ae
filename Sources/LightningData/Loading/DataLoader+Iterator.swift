extension DataLoader: Sequence {
    /// Iterates one epoch's batches from the current position (see ``position``).
    public struct Iterator: IteratorProtocol {
        let loader: DataLoader<Batch>
        let pass: EpochPass<Batch>
        let generation: Int

        /// The next batch, or `nil` at the end of the epoch.
        public mutating func next() -> Batch? {
            guard let batch = pass.nextBatch() else {
                loader.didFinish(generation: generation)
                return nil
            }
            loader.didServe(generation: generation)
            return batch
        }
    }

    /// Starts an iteration: the current epoch (or the next after a completed one), from the
    /// first batch or from a pending resume position.
    public func makeIterator() -> Iterator {
        let (epoch, start) = beginIteration()
        let order = sampler.indices(epoch: epoch)
        let pass = EpochPass(order: order, batchSize: batchSize, batches: start..<count, prefetch: prefetchCount, fetch: fetch)
        return Iterator(loader: self, pass: pass, generation: generation)
    }
}

/// One pass over a range of an epoch's batches, assembled inline or by a worker thread.
///
/// The worker builds batches strictly in order into a bounded buffer, so prefetching never
/// changes what the loop sees. When the pass is released (the loop ended or broke early) the
/// worker is cancelled and joined before `deinit` returns.
final class EpochPass<Batch> {
    private let order: [Int]
    private let batchSize: Int
    private var nextIndex: Int
    private let end: Int
    private let fetch: ([Int]) -> Batch
    private let buffer: PrefetchBuffer<Batch>?
    private let worker: WorkerThread?

    init(order: [Int], batchSize: Int, batches: Range<Int>, prefetch: Int, fetch: @escaping ([Int]) -> Batch) {
        self.order = order
        self.batchSize = batchSize
        self.nextIndex = batches.lowerBound
        self.end = batches.upperBound
        self.fetch = fetch
        if prefetch > 0 && !batches.isEmpty {
            let buffer = PrefetchBuffer<Batch>(capacity: prefetch)
            self.buffer = buffer
            // The worker captures only values and the buffer, never `self`, so releasing the
            // pass runs `deinit`, which stops it.
            self.worker = WorkerThread {
                for b in batches {
                    let lo = b * batchSize
                    let batch = fetch(Array(order[lo..<min(lo + batchSize, order.count)]))
                    if !buffer.put(batch) { return }
                }
                buffer.finish()
            }
        } else {
            self.buffer = nil
            self.worker = nil
        }
    }

    /// The next batch in order, or `nil` after the last.
    func nextBatch() -> Batch? {
        if let buffer { return buffer.take() }
        guard nextIndex < end else { return nil }
        let lo = nextIndex * batchSize
        nextIndex += 1
        return fetch(Array(order[lo..<min(lo + batchSize, order.count)]))
    }

    deinit {
        buffer?.cancel()
        worker?.join()
    }
}
