import LightningDistributed

/// The distributed helpers DDP code uses every day, as Lightning's `self.all_gather`,
/// `self.print` and `rank_zero_only`.
extension LightningModuleBase {
    /// Every process's `tensor`, stacked along a new leading dimension of size `worldSize`
    /// (index = rank); in one process (or outside a run) the tensor's own shape.
    ///
    /// Every process calls it with the same shape and dtype. With `syncGrads: true` the result
    /// carries gradients back to `tensor`: each rank receives the slice of the upstream gradient,
    /// summed over all ranks, at its own index (the backward of `torch.distributed.nn.all_gather`;
    /// every rank must then run backward through the result).
    public func allGather(_ tensor: Tensor, syncGrads: Bool = false) throws -> Tensor {
        let strategy = trainer?.strategy ?? SingleDeviceStrategy()
        let gathered = try strategy.allGather(tensor)
        guard syncGrads, tensor.dtype == .float32 else { return gathered }
        let rank = strategy.globalRank, several = strategy.worldSize > 1, shape = tensor.shape
        return Tensor.customFunction("all_gather", output: gathered, inputs: [tensor]) { gradient in
            let summed = gradient.detached().copied()
            // A failing collective in backward ends the job (runFailed); there is no caller to throw to.
            do { try strategy.allReduce(summed, op: .sum) } catch { strategy.runFailed(error); return [nil] }
            guard several else { return [summed] }
            return [summed.sliced(dim: 0, start: rank, end: rank + 1).reshaped(to: shape).copied()]
        }
    }

    /// Every process's number, as a tensor of shape `[worldSize]` (shape `[]` in one process).
    public func allGather(_ value: Double) throws -> Tensor { try allGather(Tensor(Float(value))) }

    /// Every process's number, as a tensor of shape `[worldSize]` (shape `[]` in one process).
    public func allGather(_ value: Float) throws -> Tensor { try allGather(Tensor(value)) }

    /// Whether this process is rank 0 of its run (outside a run: of the job the launcher started).
    public var isGlobalZero: Bool { (trainer?.globalRank ?? DistributedEnvironment.launcherRank()) == 0 }

    /// Prints on rank 0 only, as Lightning's `self.print` (other ranks print nothing).
    public func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
        guard isGlobalZero else { return }
        Swift.print(items.map { "\($0)" }.joined(separator: separator), terminator: terminator)
    }

    /// Runs `body` on rank 0 only and returns its result there; `nil` on other ranks (Lightning's
    /// `rank_zero_only`). `body` must not call collectives: the other ranks do not join them.
    @discardableResult
    public func rankZeroOnly<T>(_ body: () throws -> T) rethrows -> T? {
        guard isGlobalZero else { return nil }
        return try body()
    }
}
