extension Trainer {
    /// What a callback or scheduler does when the metric it monitors is missing, the one rule for
    /// `ModelCheckpoint`, `EarlyStopping(strict: true)` and a strict `ReduceLROnPlateau`: once
    /// validation has run in this fit the key should exist, so a missing one is an error naming
    /// it and the metrics there are; before that (`maxSteps` ending inside the first epoch, a
    /// `valCheckInterval` not reached yet) it is a warning, printed once, and the caller skips its
    /// action, as Lightning does.
    func missingMonitoredMetric(_ key: String, by monitor: String) throws {
        let error = LightningError.missingMetric(key: key, by: monitor, available: Array(callbackMetrics.keys))
        guard progress.validationRuns == 0 else { throw error }
        LogWarnings.once("\(error) (no validation has run yet in this fit, so it is skipped)")
    }
}
