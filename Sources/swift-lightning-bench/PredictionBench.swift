import Foundation
import Lightning
import LightningCLI
import LightningDistributed

/// `predict_rss_per_rank_mb`: peak resident memory (`VmHWM`: private memory and every mapped
/// page) of the largest rank of `mpirun -n 4 swift-lightning predict --predict.output FILE`, the
/// issue's scenario: the built-in MLP with 512 outputs (whose logits predict writes) over every
/// row of a generated `PREDICT_BENCH_MB` (default 1024) megabyte `.npy` of 784-wide float32
/// rows, given as `--data.predict_inputs`: 320,000 rows, 655 MB of outputs. Memory that grows
/// with the outputs, or with the input file, shows here.
enum PredictionBench {
    static let outputs = 512

    /// Writes the inputs, launches the 4 ranks, reports the figures.
    static func run() throws {
        let megabytes = Int(ProcessInfo.processInfo.environment["PREDICT_BENCH_MB"] ?? "") ?? 1024
        let rows = megabytes * 1_048_576 / (DatasetMemoryBench.features * 4)
        let directory = NSTemporaryDirectory() + "swift-lightning-bench-predict-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try DatasetMemoryBench.writeRows(rows, to: directory + "/inputs.npy")
        // Labels 0..<10 for the (unused) training split; the model's head is made wider than the
        // classes (`output_size` 512).
        try NPY.write(Tensor.randint(0, 10, [rows], generator: Generator(seed: 4)), to: directory + "/targets.npy")
        report("predict_input_mb", Double(rows * DatasetMemoryBench.features * 4) / 1_048_576, digits: 0)
        report("predict_output_mb", Double(rows * outputs * 4) / 1_048_576, digits: 0)
        let output = try DataParallelBench.launch(ranks: 4, ["predict", "--directory", directory])
        report("predict_rss_per_rank_mb", try DataParallelBench.value("max_rss_mb", in: output), digits: 1)
    }

    /// One rank: `swift-lightning predict` in this process, then every rank's peak memory.
    static func worker(_ strategy: DataParallelStrategy, directory: String) throws {
        let status = LightningCLI(models: ModelFactory.builtIn, data: DataFactory.builtIn, programName: "swift-lightning").run([
            "predict", "--seed_everything", "1", "--trainer.logger", "false", "--trainer.enable_progress_bar", "false",
            "--trainer.enable_model_summary", "false", "--trainer.default_root_dir", directory,
            "--data", "npy", "--data.inputs", directory + "/inputs.npy", "--data.targets", directory + "/targets.npy",
            "--data.predict_inputs", directory + "/inputs.npy", "--data.batch_size", "256",
            "--model", "mlp", "--model.output_size", String(outputs), "--model.hidden_sizes", "[64]",
            "--predict.output", directory + "/predictions.npy",
        ])
        guard status == 0 else { throw LightningError.misconfiguration("ddp-worker predict: swift-lightning predict exited \(status)") }
        let peaks = strategy.communicator.allGather([DataParallelWorker.peakResidentMegabytes()])
        if strategy.isGlobalZero { print("max_rss_mb \(peaks.map { $0[0] }.max()!)") }
    }
}
