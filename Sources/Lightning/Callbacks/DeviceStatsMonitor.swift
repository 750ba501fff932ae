/// Logs CPU and memory statistics during training (Lightning's `DeviceStatsMonitor` on a CPU
/// accelerator), at the start and end of each training batch whose step metrics are logged.
///
/// Keys are `DeviceStatsMonitor.on_train_batch_start/<stat>` and `…on_train_batch_end/<stat>`, with
/// Lightning's CPU stats:
/// - `cpu_percent`: the machine's busy CPU share since the previous sample at least a tick (10 ms)
///   earlier (since boot for the first);
/// - `cpu_vm_percent`: the machine's memory in use; `cpu_swap_percent`: its swap in use;
///
/// and, beyond Lightning, this process's:
/// - `process_resident_mb`: resident memory (MiB);
/// - `process_cpu_percent`: CPU time used since training started over the wall time since then
///   (100 = one core busy; BLAS threads can take it above);
///
/// and under several processes the last two for every rank as `rank_<r>/process_resident_mb` and
/// `rank_<r>/process_cpu_percent`, so the logger's files (written by rank 0) show every rank.
public final class DeviceStatsMonitor: Callback {
    private var previousCPU: ProcessStats.CPUTimes?
    private var lastCPUPercent = 0.0
    private var trainStart: (wall: Double, cpu: Double) = (0, 0)

    /// A device statistics monitor.
    public init() {}

    /// The start of the CPU share's interval.
    public func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws {
        trainStart = (ProcessStats.wallSeconds(), ProcessStats.processCPUSeconds())
    }

    /// Samples at the start of a logged step.
    public func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
        try log(trainer, hook: "on_train_batch_start")
    }

    /// Samples at the end of a logged step.
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        try log(trainer, hook: "on_train_batch_end")
    }

    private func log(_ trainer: Trainer, hook: String) throws {
        // The step-count part of the step metrics' rule: the same on every rank, so all reach the
        // gather of per-rank values together.
        guard !trainer.isAccumulating, trainer.stepLoggingDueByCount else { return }
        let prefix = "DeviceStatsMonitor.\(hook)/"
        var values: [String: Double] = [:]
        if let now = ProcessStats.cpuTimes() {
            let previous = previousCPU ?? ProcessStats.CPUTimes(busy: 0, total: 0)
            // /proc/stat counts in ticks of 10 ms: samples closer than that keep the last interval's value.
            if now.total > previous.total {
                lastCPUPercent = ProcessStats.cpuPercent(from: previous, to: now)
                previousCPU = now
            }
            values["cpu_percent"] = lastCPUPercent
        }
        let memory = ProcessStats.memoryInfo()
        values["cpu_vm_percent"] = ProcessStats.virtualMemoryPercent(memory)
        values["cpu_swap_percent"] = ProcessStats.swapPercent(memory)
        let wall = ProcessStats.wallSeconds() - trainStart.wall
        let own = [ProcessStats.residentBytes() / 1_048_576,
                   wall > 0 ? (ProcessStats.processCPUSeconds() - trainStart.cpu) / wall * 100 : 0]
        values["process_resident_mb"] = own[0]
        values["process_cpu_percent"] = own[1]
        let ranks = try trainer.strategy.valuesOfEveryRank(own)
        if ranks.count > 1 {
            for (rank, stats) in ranks.enumerated() {
                values["rank_\(rank)/process_resident_mb"] = stats[0]
                values["rank_\(rank)/process_cpu_percent"] = stats[1]
            }
        }
        let prefixed = Dictionary(uniqueKeysWithValues: values.map { (prefix + $0.key, $0.value) })
        trainer.logConnector.callbackMetrics.merge(prefixed) { _, new in new }
        try trainer.sendToLoggers(prefixed, step: trainer.progress.batchesThatStepped)
    }
}
