/// One logged key of a results collection: its options, this step's value and the epoch's
/// accumulation (Lightning's `_ResultMetric`), `Codable` so a checkpoint taken mid-epoch
/// resumes the epoch's means exactly.
struct LoggedMetric: Codable, Equatable {
    let name: String
    let hook: String
    let onStep: Bool
    let onEpoch: Bool
    let progressBar: Bool
    let logger: Bool
    let reduce: MetricReduction
    /// Whether the epoch value is reduced across processes.
    let syncEpoch: Bool
    /// Whether the step value is reduced across processes.
    let syncStep: Bool
    /// The evaluation loader the values come from when the stage has several (Lightning's
    /// `dataloader_idx`); `nil` with one loader and in epoch-level hooks.
    let dataloaderIndex: Int?
    /// `/dataloader_idx_N`, appended to every key, when the stage has several loaders and the
    /// `log` call kept `addDataloaderIdx`.
    let dataloaderSuffix: String?

    /// The value logged in the current batch, if it was logged there.
    var stepValue: Double?
    /// The last step value, kept for `callbackMetrics` between batches.
    var lastStepValue: Double?
    /// mean: Σ value × batch size; sum: Σ value; max / min: the extreme so far.
    var total: Double
    /// mean: Σ batch size; otherwise the number of values.
    var weight: Double

    /// The name with its loader suffix: the key the collection stores it under and, when only
    /// one of step and epoch values is kept, the key of its values.
    var key: String { dataloaderSuffix.map { name + $0 } ?? name }
    /// The key of step values: `name_step` when epoch values are also kept (then the suffix).
    var stepKey: String {
        let base = onEpoch ? "\(name)_step" : name
        return dataloaderSuffix.map { base + $0 } ?? base
    }
    /// The key of epoch values: `name_epoch` when step values are also kept (then the suffix).
    var epochKey: String {
        let base = onStep ? "\(name)_epoch" : name
        return dataloaderSuffix.map { base + $0 } ?? base
    }

    /// A metric with nothing accumulated yet; `dataloaderIndex` suffixes its keys unless
    /// `addDataloaderIdx` is false.
    init(name: String, hook: String, onStep: Bool, onEpoch: Bool, progressBar: Bool, logger: Bool, reduce: MetricReduction,
         syncEpoch: Bool, syncStep: Bool, dataloaderIndex: Int? = nil, addDataloaderIdx: Bool = true) {
        self.name = name
        self.hook = hook
        self.onStep = onStep
        self.onEpoch = onEpoch
        self.progressBar = progressBar
        self.logger = logger
        self.reduce = reduce
        self.syncEpoch = syncEpoch
        self.syncStep = syncStep
        self.dataloaderIndex = dataloaderIndex
        self.dataloaderSuffix = addDataloaderIdx ? dataloaderIndex.map { "/dataloader_idx_\($0)" } : nil
        self.total = reduce == .max ? -.infinity : (reduce == .min ? .infinity : 0)
        self.weight = 0
    }

    /// Adds one logged value with its batch size.
    mutating func add(_ value: Double, batchSize: Int) {
        stepValue = value
        lastStepValue = value
        guard onEpoch else { return }
        switch reduce {
        case .mean:
            total += value * Double(batchSize)
            weight += Double(batchSize)
        case .sum:
            total += value
            weight += 1
        case .max:
            total = Swift.max(total, value)
            weight += 1
        case .min:
            total = Swift.min(total, value)
            weight += 1
        }
    }

    /// The epoch value from (possibly cross-process reduced) `total` and `weight`.
    static func epochValue(reduce: MetricReduction, total: Double, weight: Double) -> Double? {
        guard weight > 0 else { return nil }
        return reduce == .mean ? total / weight : total
    }
}

extension LoggedMetric {
    /// The metric's name and options with nothing accumulated, as text ranks compare:
    /// ``key`` then the options' JSON, so a message can show the key alone.
    var descriptorKey: String {
        let fresh = LoggedMetric(name: name, hook: "", onStep: onStep, onEpoch: onEpoch, progressBar: progressBar, logger: logger,
                                 reduce: reduce, syncEpoch: syncEpoch, syncStep: syncStep, dataloaderIndex: dataloaderIndex,
                                 addDataloaderIdx: dataloaderSuffix != nil)
        return key + LoggedMetric.descriptorSeparator + ((try? JSONValue(encoding: fresh).jsonText) ?? "")
    }

    /// The metric a ``descriptorKey`` describes, with nothing accumulated (the neutral element a
    /// rank without values contributes).
    init(descriptorKey key: String) throws {
        guard let range = key.range(of: LoggedMetric.descriptorSeparator) else {
            throw LightningError.misconfiguration("malformed metric descriptor '\(key)'")
        }
        self = try JSONValue(parsing: String(key[range.upperBound...])).decode()
    }

    /// Separates the name from the options in a descriptor key.
    static let descriptorSeparator = "\u{1E}"
}
