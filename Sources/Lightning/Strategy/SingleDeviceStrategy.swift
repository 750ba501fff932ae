import LightningDistributed
/// One process on one device: nothing to reduce, every file written here.
public final class SingleDeviceStrategy: Strategy {
    /// Always 0.
    public var globalRank: Int { 0 }
    /// Always 1.
    public var worldSize: Int { 1 }
    /// Always 0.
    public var localRank: Int { 0 }

    /// A single-process strategy.
    public init() {}

    /// Nothing to synchronize.
    public func setup(module: LightningModuleBase) throws {}
    /// The loader itself (rank is always 0).
    public func trainingLoader<Batch>(_ loader: DataLoader<Batch>, rank: Int) -> DataLoader<Batch> { loader }
    /// The loader itself (rank is always 0).
    public func evaluationLoader<Batch>(_ loader: DataLoader<Batch>, rank: Int) -> DataLoader<Batch> { loader }
    /// Nothing to reduce.
    public func reduceGradients(module: LightningModuleBase) throws {}
    /// Values stay as they are.
    public func allReduce(_ values: inout [Double], op: ReduceOp) throws {}
    /// One process always agrees with itself.
    public func agreeOnKeys(_ keys: [String], context: String) throws -> [String] { keys }
    /// The text itself.
    public func broadcast(_ text: String) throws -> String { text }
    /// The text itself, as rank 0's.
    public func allGather(_ text: String) throws -> [String] { [text] }
    /// Unused: one process waits for no other.
    public var profiler: (any Profiler)?
    /// The bytes themselves (`root` must be 0).
    public func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8] {
        try checkRoot(root)
        return bytes
    }
    /// A copy of the tensor (`root` must be 0).
    public func broadcast(_ tensor: Tensor, from root: Int) throws -> Tensor {
        try checkRoot(root)
        return tensor.detached().copied()
    }
    /// A copy of the tensor, its shape unchanged (one process adds no rank dimension).
    public func allGather(_ tensor: Tensor) throws -> Tensor { tensor.detached().copied() }
    /// Values stay as they are.
    public func allReduce(_ tensor: Tensor, op: ReduceOp) throws {}
    /// Nothing to wait for.
    public func barrier(_ name: String) throws {}
    /// Nothing to keep in step.
    public func beforeTrainingStep(module: LightningModuleBase) throws {}
    /// The outputs as they are (already in loader order).
    public func gatherPredictions(_ outputs: [Tensor], indices: [[Int]], batches: [[Int]]) throws -> [Tensor] { outputs }
    /// The error propagates to the caller.
    public func runFailed(_ error: Error) {}
    /// Nothing to release.
    public func teardown() {}

    /// One process has rank 0 only.
    private func checkRoot(_ root: Int) throws {
        guard root == 0 else { throw LightningError.misconfiguration("broadcast from rank \(root), but this run has one process (rank 0)") }
    }
}
