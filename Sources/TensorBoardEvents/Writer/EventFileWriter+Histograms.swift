extension EventFileWriter {
    /// Logs the histogram of `values` under `tag` at `step` (PyTorch's `add_histogram`;
    /// TensorBoard's Histograms and Distributions tabs show it). Non-finite values are left
    /// out; when none is finite nothing is written.
    public func addHistogram(tag: String, values: [Float], step: Int,
                             bucketCount: Int = HistogramBuckets.defaultBucketCount, wallTime: Double? = nil) throws {
        guard let buckets = HistogramBuckets(values, bucketCount: bucketCount) else { return }
        var histogram = Tensorboard_HistogramProto()
        histogram.min = buckets.min
        histogram.max = buckets.max
        histogram.num = Double(buckets.count)
        histogram.sum = buckets.sum
        histogram.sumSquares = buckets.sumOfSquares
        histogram.bucketLimit = buckets.limits
        histogram.bucket = buckets.counts
        var summaryValue = Tensorboard_Summary.Value()
        summaryValue.tag = tag
        summaryValue.histo = histogram
        var summary = Tensorboard_Summary()
        summary.value = [summaryValue]
        try write(Self.event(summary, step: step, wallTime: wallTime))
    }
}
