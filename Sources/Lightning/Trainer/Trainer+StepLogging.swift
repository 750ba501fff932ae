/// When step metrics go to the loggers.
extension Trainer {
    /// Whether the optimizer step now running is one whose step metrics are logged by its count
    /// (every `logEveryNSteps`-th). It depends on the step count alone, so it is the same on every
    /// rank: callbacks that gather values across ranks when logging decide by it.
    var stepLoggingDueByCount: Bool { (progress.batchesThatStepped + 1) % logEveryNSteps == 0 }
}
