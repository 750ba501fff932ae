import Foundation
import Lightning
import LightningCLI
import LightningDistributed

/// `predict_rss_per_rank_mb`: peak resident memory of the largest rank of
/// `mpirun -n 4 swift-lightning predict --predict.output FILE` writing many outputs per sample
/// (the built-in MLP with 512 outputs, whose logits predict writes, over 200,000 samples: 410 MB
/// of outputs, from a 128 MB input file). Memory that grows with the outputs shows here.
enum PredictionBench {
    static let samples = 1_000_000
    static let features = 32
    static let outputs = 512
    /// The held-out share that predict runs on.
    static let predictFraction = 0.2

    /// Writes the inputs, launches the 4 ranks, reports the figure.
    static func run() throws {
        let directory = NSTemporaryDirectory() + "swift-lightning-bench-predict-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Values need not mean anything: only the sizes matter here.
        let generator = Generator(seed: 3)
        try NPY.write(Tensor.randn([samples, features], generator: generator), to: directory + "/inputs.npy")
        // Labels 0..<10; the model's head is made wider than the classes (`output_size` 512).
        try NPY.write(Tensor.randint(0, 10, [samples], generator: generator), to: directory + "/targets.npy")
        let output = try DataParallelBench.launch(ranks: 4, ["predict", "--directory", directory])
        report("predict_rss_per_rank_mb", try DataParallelBench.value("max_rss_mb", in: output), digits: 1)
    }

    /// One rank: `swift-lightning predict` in this process, then every rank's peak memory.
    static func worker(_ strategy: DataParallelStrategy, directory: String) throws {
        let status = LightningCLI(models: ModelFactory.builtIn, data: DataFactory.builtIn, programName: "swift-lightning").run([
            "predict", "--seed_everything", "1", "--trainer.logger", "false", "--trainer.enable_progress_bar", "false",
            "--trainer.enable_model_summary", "false", "--trainer.default_root_dir", directory,
            "--data", "npy", "--data.inputs", directory + "/inputs.npy", "--data.targets", directory + "/targets.npy",
            "--data.val_fraction", "0.05", "--data.test_fraction", String(predictFraction),
            "--data.batch_size", "256",
            "--model", "mlp", "--model.output_size", String(outputs), "--model.hidden_sizes", "[64]",
            "--predict.output", directory + "/predictions.npy",
        ])
        guard status == 0 else { throw LightningError.misconfiguration("ddp-worker predict: swift-lightning predict exited \(status)") }
        let peaks = strategy.communicator.allGather([DataParallelWorker.peakResidentMegabytes()])
        if strategy.isGlobalZero { print("max_rss_mb \(peaks.map { $0[0] }.max()!)") }
    }
}
