/// `log` and `logDict`, as Lightning's `self.log`: record a metric from a step or hook.
extension LightningModuleBase {
    /// Records `value` under `name` for the current step and/or the epoch.
    ///
    /// - Parameters:
    ///   - onStep: log this step's value (default: `true` in training steps and batch hooks,
    ///     `false` in evaluation and epoch hooks, as Lightning).
    ///   - onEpoch: accumulate an epoch value (default: the opposite). With both on, the keys
    ///     are `name_step` and `name_epoch`.
    ///   - progressBar: show it in the progress bar.
    ///   - logger: send it to the loggers.
    ///   - reduce: how the epoch value combines the steps' values; `mean` is weighted by batch size.
    ///   - syncDist: reduce across processes (default: epoch values yes, step values no).
    ///   - batchSize: the weight of this value in the epoch mean; inferred from the batch when it
    ///     is a tensor or a tuple or array of tensors.
    public func log(_ name: String, _ value: Tensor, onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                    logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, batchSize: Int? = nil) {
        let options = LogOptions(onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                                 reduce: reduce, syncDist: syncDist, batchSize: batchSize)
        record(name, .tensor(value), options)
    }

    /// Records a number under `name` (see ``log(_:_:onStep:onEpoch:progressBar:logger:reduce:syncDist:batchSize:)-(_,Tensor,_,_,_,_,_,_,_)``).
    public func log(_ name: String, _ value: Double, onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                    logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, batchSize: Int? = nil) {
        let options = LogOptions(onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                                 reduce: reduce, syncDist: syncDist, batchSize: batchSize)
        record(name, .number(value), options)
    }

    /// Records a `Float` under `name`.
    public func log(_ name: String, _ value: Float, onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                    logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, batchSize: Int? = nil) {
        log(name, Double(value), onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
            reduce: reduce, syncDist: syncDist, batchSize: batchSize)
    }

    /// Records several tensors with the same options (Lightning's `log_dict`).
    public func logDict(_ values: [String: Tensor], onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                        logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, batchSize: Int? = nil) {
        for key in values.keys.sorted() {
            log(key, values[key]!, onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                reduce: reduce, syncDist: syncDist, batchSize: batchSize)
        }
    }

    /// Records several numbers with the same options.
    public func logDict(_ values: [String: Double], onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                        logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, batchSize: Int? = nil) {
        for key in values.keys.sorted() {
            log(key, values[key]!, onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                reduce: reduce, syncDist: syncDist, batchSize: batchSize)
        }
    }

    /// Hands the value to the running trainer; outside a run, warns once per key (as Lightning).
    private func record(_ name: String, _ value: LoggedValue, _ options: LogOptions) {
        guard let trainer else {
            LogWarnings.once("log(\"\(name)\") was called outside a Trainer run; the value is ignored")
            return
        }
        trainer.logConnector.record(name: name, value: value, options: options)
    }
}
