extension Module {
    /// Sets training mode (`true`) or evaluation mode (`false`) on this module and every descendant.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for module in modules() { module.isTraining = mode }
        return self
    }

    /// Sets evaluation mode on this module and every descendant (Dropout off, BatchNorm using running statistics).
    @discardableResult
    public func eval() -> Self { train(false) }
}
