import LightningTensor

extension Communicator {
    /// Reduces a float32 or int64 tensor's elements across ranks in place.
    ///
    /// Like ``Tensor/withUnsafeMutableBufferPointer(_:)``, the write is seen by every tensor
    /// sharing the storage (a flat gradient buffer's views). Every rank passes the same shape.
    public func allReduce(_ tensor: Tensor, op: ReduceOp) {
        if !tensor.device.isCPU { return throughHost(tensor) { allReduce($0, op: op) } }
        switch tensor.dtype {
        case .float32: tensor.withUnsafeMutableBufferPointer { allReduce($0, op: op) }
        case .int64: tensor.withUnsafeMutableInt64BufferPointer { allReduce($0, op: op) }
        }
    }

    /// Overwrites a float32 or int64 tensor's elements in place with `root`'s (same shape on every rank).
    public func broadcast(_ tensor: Tensor, root: Int) {
        if !tensor.device.isCPU { return throughHost(tensor) { broadcast($0, root: root) } }
        switch tensor.dtype {
        case .float32: tensor.withUnsafeMutableBufferPointer { broadcast($0, root: root) }
        case .int64: tensor.withUnsafeMutableInt64BufferPointer { broadcast($0, root: root) }
        }
    }

    /// A GPU tensor's collective: MPI works on host memory, so the elements go there and back.
    private func throughHost(_ tensor: Tensor, _ collective: (Tensor) -> Void) {
        let host = tensor.detached().to(.cpu)
        collective(host)
        tensor.copy(from: host)
    }
}
