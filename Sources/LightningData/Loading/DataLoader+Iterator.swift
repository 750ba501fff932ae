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
        let pass = EpochPass(order: order, batchSize: batchSize, batches: start..<count, workers: workerThreads,
                             window: window, context: SampleContext(seed: seed, epoch: epoch), fetch: fetch)
        return Iterator(loader: self, pass: pass, generation: generation)
    }
}

/// One pass over a range of an epoch's batches, assembled inline or by worker threads.
///
/// Workers claim batches in order and the consumer receives them in order (an
/// ``OrderedBatchQueue``); a batch depends only on its indices and the ``SampleContext``, so
/// neither prefetching nor the number of workers changes what the loop sees. When the pass is
/// released (the loop ended or broke early) the workers are cancelled and joined before
/// `deinit` returns.
final class EpochPass<Batch> {
    private let order: [Int]
    private let batchSize: Int
    private var nextIndex: Int
    private let end: Int
    private let context: SampleContext
    private let fetch: ([Int], SampleContext) -> Batch
    private let queue: OrderedBatchQueue<Batch>?
    private let workers: [WorkerThread]

    init(order: [Int], batchSize: Int, batches: Range<Int>, workers: Int, window: Int, context: SampleContext,
         fetch: @escaping ([Int], SampleContext) -> Batch) {
        self.order = order
        self.batchSize = batchSize
        self.nextIndex = batches.lowerBound
        self.end = batches.upperBound
        self.context = context
        self.fetch = fetch
        if workers > 0 && !batches.isEmpty {
            let queue = OrderedBatchQueue<Batch>(batches: batches, window: window)
            self.queue = queue
            // Workers capture only values and the queue, never `self`, so releasing the pass
            // runs `deinit`, which stops them.
            self.workers = (0..<min(workers, batches.count)).map { _ in
                WorkerThread {
                    while let b = queue.claim() {
                        let lo = b * batchSize
                        queue.deliver(b, fetch(Array(order[lo..<min(lo + batchSize, order.count)]), context))
                    }
                }
            }
        } else {
            self.queue = nil
            self.workers = []
        }
    }

    /// The next batch in order, or `nil` after the last.
    func nextBatch() -> Batch? {
        if let queue { return queue.take() }
        guard nextIndex < end else { return nil }
        let lo = nextIndex * batchSize
        nextIndex += 1
        return fetch(Array(order[lo..<min(lo + batchSize, order.count)]), context)
    }

    deinit {
        queue?.cancel()
        for worker in workers { worker.join() }
    }
}
