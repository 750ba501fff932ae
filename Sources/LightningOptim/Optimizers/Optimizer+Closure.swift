extension Optimizer {
    /// Runs `closure`, which computes the loss and its gradients, then ``step()`` (PyTorch's
    /// `optimizer.step(closure)`; a Lightning module's `optimizerStep` passes its closure here).
    public func step(closure: () throws -> Void) rethrows {
        try closure()
        step()
    }
}
