/// One array to split into shards: its name in the index and where its rows come from (a mapped
/// file, read a shard at a time, or a tensor already in memory).
public struct ShardColumn {
    /// The array's name (safetensors tensor name, part of `.npy` file names): letters, digits, `_`, `-`.
    public let name: String
    /// Rows (samples).
    public let rowCount: Int
    /// Rows `range` as a new tensor of shape `[range.count] + sampleShape`.
    let rows: (Range<Int>) -> Tensor

    /// The rows of a mapped array, gathered a shard at a time (as the mapped datasets gather them).
    public init(name: String, array: MappedArray) {
        self.name = name
        self.rowCount = array.rowCount
        self.rows = { array.gatheringRows(Array($0)) }
    }

    /// The rows of a tensor in memory; its first dimension is the sample dimension.
    public init(name: String, tensor: Tensor) {
        precondition(tensor.rank >= 1, "ShardColumn: a column needs a sample (first) dimension")
        self.name = name
        self.rowCount = tensor.shape[0]
        self.rows = { tensor.gatheringRows(Array($0), op: "ShardColumn") }
    }
}
