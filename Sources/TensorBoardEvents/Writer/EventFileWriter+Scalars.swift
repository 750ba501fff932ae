extension EventFileWriter {
    /// Logs `value` under `tag` at `step`, stored as a 32-bit float as PyTorch's `add_scalar` does.
    public func addScalar(tag: String, value: Double, step: Int, wallTime: Double? = nil) throws {
        var summaryValue = Tensorboard_Summary.Value()
        summaryValue.tag = tag
        summaryValue.simpleValue = Float(value)
        var summary = Tensorboard_Summary()
        summary.value = [summaryValue]
        try write(Self.event(summary, step: step, wallTime: wallTime))
    }
}
