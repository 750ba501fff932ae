import LightningTensor

extension Communicator {
    /// Reduces a float32 or int64 tensor's elements across ranks in place.
    ///
    /// Like ``Tensor/withUnsafeMutableBufferPointer(_:)``, the write is seen by every tensor
    /// sharing the storage (a flat gradient buffer's views). Every rank passes the same shape.
    public func allReduce(_ tensor: Tensor, op: ReduceOp) {
        switch tensor.dtype {
        case .float32: tensor.withUnsafeMutableBufferPointer { allReduce($0, op: op) }
        case .int64: tensor.withUnsafeMutableInt64BufferPointer { allReduce($0, op: op) }
        }
    }

    /// Overwrites a float32 or int64 tensor's elements in place with `root`'s (same shape on every rank).
    public func broadcast(_ tensor: Tensor, root: Int) {
        switch tensor.dtype {
        case .float32: tensor.withUnsafeMutableBufferPointer { broadcast($0, root: root) }
        case .int64: tensor.withUnsafeMutableInt64BufferPointer { broadcast($0, root: root) }
        }
    }
}
