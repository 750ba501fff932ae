/// Sums batch normalization's per-channel statistics over every process that holds a part of
/// the batch, so each one normalizes with the whole batch's mean and variance and backward
/// gives the whole batch's input gradients (PyTorch's `SyncBatchNorm`).
///
/// ``batchNorm(_:runningMean:runningVar:weight:bias:training:momentum:eps:statistics:)`` calls it
/// in training mode only: twice in forward, once in backward when the input needs a gradient.
/// Like any collective, every process calls it the same number of times with the same count.
public protocol BatchStatisticsReducer {
    /// Replaces each of `values` with its sum over the processes (the same count on each).
    func sum(_ values: inout [Double])
}

/// The batch is this process's alone: the sums are already the batch's.
public struct LocalBatchStatistics: BatchStatisticsReducer {
    /// The reducer of a layer that is not synchronized.
    public init() {}

    /// Leaves `values` as they are.
    public func sum(_ values: inout [Double]) {}
}
