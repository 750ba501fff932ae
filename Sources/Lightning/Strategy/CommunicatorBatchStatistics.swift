import LightningDistributed

/// Sums synchronized batch normalization statistics over a communicator's processes (one
/// `MPI_Allreduce` of doubles per call), for ``DataParallelStrategy/batchStatistics``.
struct CommunicatorBatchStatistics: BatchStatisticsReducer {
    let communicator: any Communicator

    /// Every process's `values`, summed element-wise.
    func sum(_ values: inout [Double]) {
        values.withUnsafeMutableBufferPointer { communicator.allReduce($0, op: .sum) }
    }
}
