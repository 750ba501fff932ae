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
                             window: window, context: SampleContext(seed: seed, epoch: epoch), recipe: recipe)
        return Iterator(loader: self, pass: pass, generation: generation)
    }
}

/// One pass over a range of an epoch's batches, assembled inline or by worker threads.
///
/// Workers take work in batch order (an ``OrderedBatchQueue``: samples of the earliest batch
/// in progress first) and the consumer receives batches in order, building samples of the one
/// it waits for; a batch depends only on its indices and the ``SampleContext``, so neither
/// prefetching, the number of workers nor which thread built a sample changes what the loop
/// sees. When the pass is released (the loop ended or broke early) the workers are cancelled and joined before
/// `deinit` returns.
final class EpochPass<Batch> {
    private let order: [Int]
    private let batchSize: Int
    private var nextIndex: Int
    private let end: Int
    private let context: SampleContext
    private let recipe: BatchRecipe<Batch>
    private let queue: OrderedBatchQueue<Batch>?
    private let workers: [WorkerThread]

    init(order: [Int], batchSize: Int, batches: Range<Int>, workers: Int, window: Int, context: SampleContext,
         recipe: BatchRecipe<Batch>) {
        self.order = order
        self.batchSize = batchSize
        self.nextIndex = batches.lowerBound
        self.end = batches.upperBound
        self.context = context
        self.recipe = recipe
        if workers > 0 && !batches.isEmpty {
            let queue = OrderedBatchQueue<Batch>(batches: batches, window: window) { b in
                let lo = b * batchSize
                return recipe.start(Array(order[lo..<min(lo + batchSize, order.count)]), context: context)
            }
            self.queue = queue
            // Workers capture only values and the queue, never `self`, so releasing the pass
            // runs `deinit`, which stops them.
            self.workers = (0..<min(workers, batches.count)).map { _ in
                WorkerThread { while queue.work() {} }
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
        return recipe.build(Array(order[lo..<min(lo + batchSize, order.count)]), context: context)
    }

    deinit {
        queue?.cancel()
        for worker in workers { worker.join() }
    }
}
