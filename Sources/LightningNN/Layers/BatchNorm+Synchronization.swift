extension Module {
    /// Makes every batch normalization layer in this module normalize over the batch of all the
    /// processes `statistics` reaches (Lightning's `sync_batchnorm`, PyTorch's
    /// `SyncBatchNorm.convert_sync_batchnorm`, without replacing the layers); returns how many
    /// layers it set. ``LocalBatchStatistics`` makes them local again.
    @discardableResult
    public func synchronizeBatchNorm(with statistics: any BatchStatisticsReducer) -> Int {
        var count = 0
        for case let layer as BatchNormBase in modules() {
            layer.statistics = statistics
            count += 1
        }
        return count
    }
}
