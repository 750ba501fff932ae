#if canImport(Glibc)
import Glibc
#endif

/// Logs training throughput, samples and batches per second, on each rank and for the job
/// (Lightning's `ThroughputMonitor`), whenever step metrics are logged (`logEveryNSteps`).
///
/// Keys, with Lightning's `train/` prefix and `/` separator:
/// - `train/time`, `train/batches`, `train/samples`: this rank's training seconds (validation
///   excluded), batches and samples so far;
/// - once `windowSize` batches have been seen, rates over the last `windowSize` of them:
///   `train/device/batches_per_sec`, `train/device/samples_per_sec` (this rank's: rank 0's in the
///   logger's files) and `train/batches_per_sec`, `train/samples_per_sec` (the job's: the sum over
///   ranks; Lightning multiplies one device's rate by the world size instead);
/// - under several processes, `train/rank_<r>/batches_per_sec` and `train/rank_<r>/samples_per_sec`
///   for every rank `r`, so a slow rank shows in metrics.csv.
public final class ThroughputMonitor: Callback {
    /// The number of samples in a batch.
    public let batchSizeFn: (Any) -> Int
    /// Batches the rates are computed over.
    public let windowSize: Int
    private var start: UInt64 = 0
    /// Nanoseconds spent validating since training started (excluded from `train/time`).
    private var excluded: UInt64 = 0
    private var validationStart: UInt64?
    private var batches = 0
    private var samples = 0
    /// (seconds, batches, samples) at the last `windowSize` batch ends.
    private var window: [(time: Double, batches: Int, samples: Int)] = []
    private var training = false

    /// A throughput monitor; `batchSizeFn` defaults to the batch size `log` infers (the first
    /// dimension of the batch's first tensor).
    public init(batchSizeFn: ((Any) -> Int)? = nil, windowSize: Int = 100) {
        self.batchSizeFn = batchSizeFn ?? { BatchSize.infer($0) ?? 1 }
        self.windowSize = max(2, windowSize)
    }

    /// Starts the clock and empties the window.
    public func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws {
        start = Self.now()
        excluded = 0
        batches = 0
        samples = 0
        window = []
        training = true
    }

    /// Stops counting.
    public func onTrainEnd(trainer: Trainer, module: LightningModuleBase) throws { training = false }

    /// Validation inside fit does not count as training time.
    public func onValidationStart(trainer: Trainer, module: LightningModuleBase) throws {
        if training { validationStart = Self.now() }
    }

    /// Adds the validation run's time to the excluded time.
    public func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws {
        if let begin = validationStart { excluded &+= Self.now() &- begin }
        validationStart = nil
    }

    /// Counts the batch and logs when step metrics are due.
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        batches += 1
        samples += batchSizeFn(batch)
        let time = Double(Self.now() &- start &- excluded) / 1e9
        window.append((time, batches, samples))
        if window.count > windowSize { window.removeFirst(window.count - windowSize) }
        // The step metrics' rule. Its step-count part alone decides the collective below, so every
        // rank reaches it together (a requested stop may be seen by one rank before the others).
        guard !trainer.isAccumulating else { return }
        let due = trainer.stepLoggingDueByCount
        guard due || trainer.shouldStop else { return }
        var values: [String: Double] = ["train/time": time, "train/batches": Double(batches), "train/samples": Double(samples)]
        if due, window.count == windowSize, let first = window.first, let last = window.last {
            let elapsed = max(last.time - first.time, 1e-9)
            let own = [Double(last.batches - first.batches) / elapsed, Double(last.samples - first.samples) / elapsed]
            values["train/device/batches_per_sec"] = own[0]
            values["train/device/samples_per_sec"] = own[1]
            let ranks = try trainer.strategy.valuesOfEveryRank(own)
            values["train/batches_per_sec"] = ranks.reduce(0) { $0 + $1[0] }
            values["train/samples_per_sec"] = ranks.reduce(0) { $0 + $1[1] }
            if ranks.count > 1 {
                for (rank, rates) in ranks.enumerated() {
                    values["train/rank_\(rank)/batches_per_sec"] = rates[0]
                    values["train/rank_\(rank)/samples_per_sec"] = rates[1]
                }
            }
        }
        trainer.logConnector.callbackMetrics.merge(values) { _, new in new }
        try trainer.sendToLoggers(values, step: trainer.progress.batchesThatStepped)
    }

    private static func now() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}
