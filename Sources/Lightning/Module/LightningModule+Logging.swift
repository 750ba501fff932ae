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
    ///   - addDataloaderIdx: when a stage has several loaders, suffix the key with the loader
    ///     (`val_loss/dataloader_idx_1`); with `false`, give each loader's value its own key.
    ///   - batchSize: the weight of this value in the epoch mean; inferred from the batch when it
    ///     is a tensor or a tuple or array of tensors.
    ///   - rankZeroOnly: the value comes from rank 0 alone (Lightning's `rank_zero_only`): it is
    ///     never synchronized across processes, and other ranks' calls are ignored, so only rank
    ///     0's loggers and `callbackMetrics` have it. Do not monitor it in callbacks under DDP.
    public func log(_ name: String, _ value: Tensor, onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                    logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, addDataloaderIdx: Bool = true, batchSize: Int? = nil,
                    rankZeroOnly: Bool = false) {
        let options = LogOptions(onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                                 reduce: reduce, syncDist: syncDist, addDataloaderIdx: addDataloaderIdx, batchSize: batchSize)
        record(name, .tensor(value), options, rankZeroOnly: rankZeroOnly)
    }

    /// Records a number under `name` (see ``log(_:_:onStep:onEpoch:progressBar:logger:reduce:syncDist:addDataloaderIdx:batchSize:rankZeroOnly:)-(_,Tensor,_,_,_,_,_,_,_,_,_)``).
    public func log(_ name: String, _ value: Double, onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                    logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, addDataloaderIdx: Bool = true, batchSize: Int? = nil,
                    rankZeroOnly: Bool = false) {
        let options = LogOptions(onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                                 reduce: reduce, syncDist: syncDist, addDataloaderIdx: addDataloaderIdx, batchSize: batchSize)
        record(name, .number(value), options, rankZeroOnly: rankZeroOnly)
    }

    /// Records a `Float` under `name`.
    public func log(_ name: String, _ value: Float, onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                    logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, addDataloaderIdx: Bool = true, batchSize: Int? = nil,
                    rankZeroOnly: Bool = false) {
        log(name, Double(value), onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
            reduce: reduce, syncDist: syncDist, addDataloaderIdx: addDataloaderIdx, batchSize: batchSize, rankZeroOnly: rankZeroOnly)
    }

    /// Records several tensors with the same options (Lightning's `log_dict`).
    public func logDict(_ values: [String: Tensor], onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                        logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, addDataloaderIdx: Bool = true, batchSize: Int? = nil,
                        rankZeroOnly: Bool = false) {
        for key in values.keys.sorted() {
            log(key, values[key]!, onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                reduce: reduce, syncDist: syncDist, addDataloaderIdx: addDataloaderIdx, batchSize: batchSize, rankZeroOnly: rankZeroOnly)
        }
    }

    /// Records several numbers with the same options.
    public func logDict(_ values: [String: Double], onStep: Bool? = nil, onEpoch: Bool? = nil, progressBar: Bool = false,
                        logger: Bool = true, reduce: MetricReduction = .mean, syncDist: Bool? = nil, addDataloaderIdx: Bool = true, batchSize: Int? = nil,
                        rankZeroOnly: Bool = false) {
        for key in values.keys.sorted() {
            log(key, values[key]!, onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                reduce: reduce, syncDist: syncDist, addDataloaderIdx: addDataloaderIdx, batchSize: batchSize, rankZeroOnly: rankZeroOnly)
        }
    }

    /// Hands the value to the running trainer; outside a run, warns once per key (as Lightning).
    /// A `rankZeroOnly` value is recorded on rank 0 alone and never synchronized.
    private func record(_ name: String, _ value: LoggedValue, _ options: LogOptions, rankZeroOnly: Bool) {
        guard let trainer else {
            LogWarnings.once("log(\"\(name)\") was called outside a Trainer run; the value is ignored")
            return
        }
        var options = options
        if rankZeroOnly {
            guard trainer.isGlobalZero else { return }
            options.syncDist = false
        }
        trainer.logConnector.record(name: name, value: value, options: options)
    }
}
