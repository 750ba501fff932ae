import Foundation
import Lightning

/// `profiler_overhead_pct`: one MLP epoch through `Trainer.fit` (as `trainer_overhead_pct`:
/// logging every step, no checkpoints, progress bar, summary or logger) with `SimpleProfiler`
/// on (its report written to a scratch directory, not printed) against the same fit with no
/// profiler; rounds alternate which goes first, the median of the per-round ratios is reported.
/// Fits are timed in process CPU time: the profiler adds work, not waiting, and on a shared
/// machine wall time varies by several percent from one fit to the next.
func profilerOverheadPercent(samples: Int, batch: Int, rounds: Int, generator: Generator) throws -> Double {
    let x = Tensor.randn([samples, 784], generator: generator)
    let y = Tensor.randint(0, 10, [samples], generator: generator)
    let loader = DataLoader(TensorDataset(x, y), batchSize: batch, shuffle: true, seed: 1)
    let model = BenchMLP(generator: generator)
    let scratch = NSTemporaryDirectory() + "profiler-overhead-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: scratch) }

    func epoch(profiled: Bool) throws -> Double {
        let trainer = Trainer(maxEpochs: 1, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: scratch, logger: false,
                              profiler: profiled ? .profiler(SimpleProfiler(printsReport: false)) : nil)
        let start = processCPUTime()
        try trainer.fit(model, trainDataloaders: loader)
        return processCPUTime() - start
    }
    _ = try epoch(profiled: false)
    _ = try epoch(profiled: true)
    var ratios: [Double] = []
    for round in 0..<rounds {
        // Alternating the order keeps a drift of the shared machine from favouring one side.
        var off = 0.0, on = 0.0
        if round % 2 == 0 {
            off = try epoch(profiled: false)
            on = try epoch(profiled: true)
        } else {
            on = try epoch(profiled: true)
            off = try epoch(profiled: false)
        }
        ratios.append(on / off)
    }
    return (median(ratios) - 1) * 100
}

/// `profiler_ns_per_action`: what one profiled action costs `SimpleProfiler` (`measure` of an
/// empty body under one of a step's 13 action names, as the Trainer times them), in a tight loop:
/// times the actions a step records, the overhead without the shared machine's noise.
func profilerNanosecondsPerAction() -> Double {
    let profiler = SimpleProfiler(reportFile: nil, printsReport: false)
    let names = ["run_training_batch", "[_TrainingEpochLoop].train_dataloader_next", "[Strategy]SingleDeviceStrategy.training_step",
                 "[Strategy]SingleDeviceStrategy.backward", "[Strategy]SingleDeviceStrategy.reduce_gradients",
                 "[LightningModule]BenchMLP.optimizer_step", "[LightningModule]BenchMLP.optimizer_zero_grad",
                 "[LightningModule]BenchMLP.on_train_batch_start", "[LightningModule]BenchMLP.on_before_zero_grad",
                 "[LightningModule]BenchMLP.on_before_backward", "[LightningModule]BenchMLP.on_after_backward",
                 "[LightningModule]BenchMLP.on_before_optimizer_step", "[LightningModule]BenchMLP.on_train_batch_end"]
    let repetitions = 20_000
    var best = Double.infinity
    for _ in 0..<5 {
        let start = now()
        for _ in 0..<repetitions { for name in names { profiler.measure(name) {} } }
        best = min(best, (now() - start) / Double(repetitions * names.count))
    }
    return best * 1e9
}
