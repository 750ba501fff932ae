extension DataLoader {
    /// Whether each epoch visits the dataset in index order (a ``SequentialSampler``).
    public var isSequential: Bool { sampler is SequentialSampler }

    /// This loader with a ``SequentialSampler`` over its dataset in place of its sampler (no
    /// shuffling, every epoch the same batches), as Lightning does for `overfit_batches`; batch
    /// size, drop-last, collation, workers and prefetch are kept. A sequential loader is returned as it is.
    public func sequential() -> DataLoader<Batch> {
        if isSequential { return self }
        return DataLoader(datasetCount: datasetCount, batchSize: batchSize, shuffle: false, seed: seed, dropLast: dropLast,
                          sampler: SequentialSampler(count: datasetCount), prefetch: prefetchCount,
                          numWorkers: numWorkers, prefetchFactor: prefetchFactor, recipe: recipe)
    }
}
