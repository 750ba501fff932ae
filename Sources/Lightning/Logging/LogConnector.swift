import LightningDistributed
/// Routes `log` calls into the results of the running stage and turns results into the
/// Trainer's metric dictionaries and logger rows (Lightning's `_LoggerConnector`).
final class LogConnector {
    /// One collection per stage.
    let train = ResultCollection(), validation = ResultCollection(), test = ResultCollection()
    /// The hook running now (`training_step`, `on_validation_epoch_end`, …), or `nil` between hooks.
    var hook: String?
    /// The evaluation loader of the batch in hand when the stage has several (Lightning's
    /// `dataloader_idx`), so its metrics get their own keys; `nil` otherwise and in epoch-level hooks.
    var dataloaderIndex: Int?
    /// The batch being processed, for batch-size inference.
    private var batch: Any?
    private var inferredBatchSize: Int??
    /// An invalid `log` call, thrown once the hook returns (log itself cannot throw).
    private var pendingError: LightningError?

    /// Metrics callbacks read (`ModelCheckpoint`, `EarlyStopping`).
    var callbackMetrics: [String: Double] = [:]
    /// Metrics sent to the loggers.
    var loggedMetrics: [String: Double] = [:]
    /// Metrics the progress bar shows.
    var progressBarMetrics: [String: Double] = [:]

    func collection(_ stage: ResultStage) -> ResultCollection {
        switch stage {
        case .train: return train
        case .validation: return validation
        case .test: return test
        }
    }

    /// Makes `batch` the one later `log` calls are weighted by.
    func beginBatch(_ batch: Any) {
        self.batch = batch
        inferredBatchSize = nil
    }

    /// Throws the first invalid `log` call since the last check.
    func throwPendingError() throws {
        if let error = pendingError {
            pendingError = nil
            throw error
        }
    }

    /// Records one `log` call from the current hook.
    func record(name: String, value: LoggedValue, options: LogOptions) {
        guard pendingError == nil else { return }
        do {
            try recordChecked(name: name, value: value, options: options)
        } catch let error as LightningError {
            pendingError = error
        } catch {
            pendingError = .invalidLog(key: name, hook: hook ?? "?", reason: "\(error)")
        }
    }

    private func recordChecked(name: String, value: LoggedValue, options: LogOptions) throws {
        let hookName = hook ?? "code outside the Trainer's hooks"
        guard let rule = HookLogRule.rule(for: hookName) else {
            throw LightningError.invalidLog(key: name, hook: hookName, reason: "logging is not supported here; log from a step or a batch or epoch hook")
        }
        let onStep = options.onStep ?? rule.defaultOnStep
        let onEpoch = options.onEpoch ?? rule.defaultOnEpoch
        if onStep && !rule.allowsStep {
            throw LightningError.invalidLog(key: name, hook: hookName, reason: "onStep: true is not supported here (this hook runs once per epoch)")
        }
        if !onStep && !onEpoch {
            throw LightningError.invalidLog(key: name, hook: hookName, reason: "onStep and onEpoch are both false, so the value would go nowhere")
        }
        let number: Double
        switch value {
        case .number(let v): number = v
        case .tensor(let t):
            guard t.count == 1 else {
                throw LightningError.invalidLog(key: name, hook: hookName, reason: "expected a scalar tensor, got shape \(t.shape)")
            }
            number = t.dtype == .float32 ? Double(t.detached().item()) : Double(t.withUnsafeInt64BufferPointer { $0[0] })
        }
        var batchSize = 1
        if onEpoch && options.reduce == .mean {
            if let given = options.batchSize {
                guard given > 0 else {
                    throw LightningError.invalidLog(key: name, hook: hookName, reason: "batchSize \(given) must be positive")
                }
                batchSize = given
            } else {
                if inferredBatchSize == nil { inferredBatchSize = batch.flatMap(BatchSize.infer) }
                guard let inferred = inferredBatchSize ?? nil else {
                    throw LightningError.invalidLog(key: name, hook: hookName,
                        reason: "cannot infer the batch size from a batch of type \(batch.map { "\(type(of: $0))" } ?? "none"); pass batchSize:")
                }
                batchSize = inferred
            }
        }
        let template = LoggedMetric(name: name, hook: hookName, onStep: onStep, onEpoch: onEpoch, progressBar: options.progressBar,
                                    logger: options.logger, reduce: options.reduce,
                                    syncEpoch: options.syncDist ?? true, syncStep: options.syncDist ?? false,
                                    dataloaderIndex: rule.stage == .train ? nil : dataloaderIndex, addDataloaderIdx: options.addDataloaderIdx)
        try collection(rule.stage).add(number, batchSize: batchSize, template: template)
    }

    /// The step values logged in the current training batch, reduced across processes where asked;
    /// updates `callbackMetrics` and `progressBarMetrics` and returns what loggers should get.
    func trainStepMetrics(strategy: any Strategy) throws -> [String: Double] {
        let logged = train.orderedMetrics.filter { $0.onStep && $0.stepValue != nil }
        let synced = logged.filter(\.syncStep)
        var reduced: [String: Double] = [:]
        if !synced.isEmpty {
            _ = try strategy.agreeOnKeys(synced.map(\.name), context: "step metrics logged with syncDist: true")
            var values = synced.map { $0.stepValue! }
            try strategy.allReduce(&values, op: .sum)
            for (metric, sum) in zip(synced, values) { reduced[metric.name] = sum / Double(strategy.worldSize) }
        }
        var forLoggers: [String: Double] = [:]
        for metric in logged {
            let value = reduced[metric.name] ?? metric.stepValue!
            callbackMetrics[metric.stepKey] = value
            if metric.onEpoch { callbackMetrics[metric.name] = value }
            if metric.progressBar { progressBarMetrics[metric.stepKey] = value }
            if metric.logger { forLoggers[metric.stepKey] = value }
        }
        train.endBatch()
        return forLoggers
    }

    /// The epoch values of `stage`, reduced across processes (one allreduce for all synced
    /// metrics: Σ value·size and Σ size per key); updates the callback and progress-bar metrics
    /// and returns what loggers should get, every epoch value, and the values of each of the
    /// stage's `loaders` (its own metrics and those logged outside its batches, as Lightning's
    /// per-dataloader results). The collection is reset afterwards unless `reset` is false.
    func epochMetrics(_ stage: ResultStage, strategy: any Strategy, updateStores: Bool = true, reset: Bool = true,
                      loaders: Int = 1) throws -> (forLoggers: [String: Double], metrics: [String: Double], perLoader: [[String: Double]]) {
        let results = collection(stage)
        defer { if reset { results.reset() } }
        var epochMetrics = results.orderedMetrics.filter(\.onEpoch)
        var reduced: [String: (Double, Double)] = [:]
        if strategy.worldSize > 1 {
            // Always agreed (even with nothing logged): a rank whose shard was empty still takes
            // part in the reduction, with neutral values, and reports the same metrics. With
            // several loaders each loader's keys are agreed apart, as a rank's shard of one
            // loader may be empty while another's is not.
            let synced = epochMetrics.filter(\.syncEpoch)
            let groups: [Int?] = loaders > 1 ? [nil] + (0..<loaders).map { $0 } : [nil]
            var agreed: [LoggedMetric] = []
            for group in groups {
                let members = loaders > 1 ? synced.filter { $0.dataloaderIndex == group } : synced
                let context = "epoch metrics of \(stage.rawValue)" + (loaders > 1 ? group.map { " (dataloader \($0))" } ?? " (outside batches)" : "")
                agreed += try strategy.agreeOnKeys(members.map(\.descriptorKey), context: context).map(LoggedMetric.init(descriptorKey:))
            }
            let local = Dictionary(uniqueKeysWithValues: synced.map { ($0.key, $0) })
            let entries = agreed.map { local[$0.key] ?? $0 }
            for op in [ReduceOp.sum, .max, .min] {
                let group = entries.filter { $0.reduce.collectiveOp == op }
                guard !group.isEmpty else { continue }
                var totals = group.map(\.total), weights = group.map(\.weight)
                try strategy.allReduce(&totals, op: op)
                try strategy.allReduce(&weights, op: .sum)
                for (i, metric) in group.enumerated() { reduced[metric.key] = (totals[i], weights[i]) }
            }
            epochMetrics = epochMetrics.filter { !$0.syncEpoch } + entries
        }
        var forLoggers: [String: Double] = [:]
        var all: [String: Double] = [:]
        var perLoader = [[String: Double]](repeating: [:], count: max(1, loaders))
        for metric in epochMetrics {
            let (total, weight) = reduced[metric.key] ?? (metric.total, metric.weight)
            guard let value = LoggedMetric.epochValue(reduce: metric.reduce, total: total, weight: weight) else { continue }
            all[metric.epochKey] = value
            for loader in perLoader.indices where metric.dataloaderIndex == nil || metric.dataloaderIndex == loader {
                perLoader[loader][metric.epochKey] = value
            }
            guard updateStores else { continue }
            callbackMetrics[metric.epochKey] = value
            if metric.onStep { callbackMetrics[metric.key] = value }
            if metric.progressBar { progressBarMetrics[metric.epochKey] = value }
            if metric.logger { forLoggers[metric.epochKey] = value }
        }
        return (forLoggers, all, perLoader)
    }

    /// Records what was sent to loggers at a step.
    func noteLogged(_ metrics: [String: Double]) {
        loggedMetrics.merge(metrics) { _, new in new }
    }

    /// Clears every result and metric (a new run).
    func resetAll() {
        train.reset(); validation.reset(); test.reset()
        callbackMetrics = [:]; loggedMetrics = [:]; progressBarMetrics = [:]
        hook = nil; batch = nil; pendingError = nil; dataloaderIndex = nil
    }
}
