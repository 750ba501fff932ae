extension EventFileWriter {
    /// Logs a run's hyperparameters for TensorBoard's HParams tab, with `metrics` as its columns.
    ///
    /// As Lightning's `TensorBoardLogger.log_hyperparams` does: each metric is logged as a scalar
    /// at `step`, then the experiment, session-start and session-end summaries. With `metrics`
    /// nil the HParams tab lists no metric columns.
    public func addHParams(
        _ hparams: [String: HParamValue],
        metrics: [String: Double]? = nil,
        step: Int = 0,
        wallTime: Double? = nil
    ) throws {
        let metrics = metrics ?? [:]
        for (tag, value) in metrics.sorted(by: { $0.key < $1.key }) {
            try addScalar(tag: tag, value: value, step: step, wallTime: wallTime)
        }
        for summary in try HParamsSummary.summaries(hparams: hparams, metricTags: Array(metrics.keys)) {
            try write(Self.event(summary, step: step, wallTime: wallTime))
        }
    }
}
