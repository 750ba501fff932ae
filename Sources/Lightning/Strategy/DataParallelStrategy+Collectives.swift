import LightningDistributed

/// The collectives the module and users call (`allGather`, `broadcast`), over the communicator.
extension DataParallelStrategy {
    /// Rank `root`'s bytes on every rank.
    public func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8] {
        try checkRoot(root)
        return communicator.broadcast(bytes, root: root)
    }

    /// Rank `root`'s tensor on every rank: its dtype and shape first, then its values.
    public func broadcast(_ tensor: Tensor, from root: Int) throws -> Tensor {
        try checkRoot(root)
        let header = [tensor.dtype == .int64 ? Int64(1) : 0] + tensor.shape.map(Int64.init)
        let agreed = communicator.broadcast(header, root: root)
        let shape = agreed.dropFirst().map(Int.init)
        let result = globalRank == root ? tensor.detached().copied() : Tensor.zeros(shape, dtype: agreed[0] == 1 ? .int64 : .float32, device: tensor.device)
        communicator.broadcast(result, root: root)
        return result
    }

    /// Every rank's tensor stacked along a leading rank dimension; throws on every rank when
    /// ranks passed different shapes or dtypes, naming them.
    public func allGather(_ tensor: Tensor) throws -> Tensor {
        let descriptor = "\(tensor.dtype) \(tensor.shape)"
        let descriptors = communicator.allGather(Array(descriptor.utf8)).map { String(decoding: $0, as: UTF8.self) }
        guard Set(descriptors).count == 1 else {
            let described = descriptors.enumerated().map { "rank \($0.offset): \($0.element)" }.joined(separator: "; ")
            throw LightningError.misconfiguration("allGather needs the same shape and dtype on every rank; got \(described)")
        }
        let shape = [worldSize] + tensor.shape
        switch tensor.dtype {
        case .float32: return Tensor(shape: shape, scalars: communicator.allGather(tensor.scalars).flatMap { $0 }, device: tensor.device)
        case .int64: return Tensor(shape: shape, int64Scalars: communicator.allGather(tensor.int64Scalars).flatMap { $0 }, device: tensor.device)
        }
    }

    /// Reduces the tensor's values across ranks in place.
    public func allReduce(_ tensor: Tensor, op: ReduceOp) throws {
        communicator.allReduce(tensor, op: op)
    }

    /// `root` must name a rank of the job.
    private func checkRoot(_ root: Int) throws {
        guard (0..<worldSize).contains(root) else {
            throw LightningError.misconfiguration("broadcast from rank \(root), but the ranks are 0..<\(worldSize)")
        }
    }
}
