import Foundation
import Lightning
import LightningCLI
import LightningDistributed

/// `dataset_rss_per_rank_mb`: the private memory (`Private_Clean` + `Private_Dirty` of
/// `/proc/self/smaps_rollup`, read when training ends) of the largest rank of
/// `mpirun -n 4 swift-lightning fit --data npy --trainer.max_steps 20` on a generated `.npy` of
/// `DATASET_BENCH_MB` megabytes (default 1024, float32 rows of 784). The file's pages in the page
/// cache are shared by the ranks and counted once, separately: `dataset_shared_mb`, the largest
/// rank's `Shared_Clean`.
enum DatasetMemoryBench {
    static let features = 784

    static func run() throws {
        let megabytes = Int(ProcessInfo.processInfo.environment["DATASET_BENCH_MB"] ?? "") ?? 1024
        let rows = megabytes * 1_048_576 / (features * 4)
        let directory = NSTemporaryDirectory() + "swift-lightning-bench-dataset-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Written in chunks, so the bench itself never holds the file.
        try writeRows(rows, to: directory + "/inputs.npy")
        try NPY.write(Tensor.randint(0, 10, [rows], generator: Generator(seed: 4)), to: directory + "/targets.npy")
        report("dataset_file_mb", Double(rows * features * 4) / 1_048_576, digits: 0)
        let output = try DataParallelBench.launch(ranks: 4, ["dataset-memory", "--directory", directory])
        report("dataset_rss_per_rank_mb", try DataParallelBench.value("max_private_mb", in: output), digits: 1)
        report("dataset_shared_mb", try DataParallelBench.value("max_shared_mb", in: output), digits: 1)
    }

    /// A float32 `.npy` of `rows` × 784 standard normal values, written 8,192 rows at a time.
    static func writeRows(_ rows: Int, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(NPY.header(dtype: .float32, shape: [rows, features]))),
              let handle = FileHandle(forWritingAtPath: path) else { throw LightningError.misconfiguration("cannot write \(path)") }
        defer { try? handle.close() }
        try handle.seekToEnd()
        let generator = Generator(seed: 3)
        var done = 0
        while done < rows {
            let count = min(8192, rows - done)
            let chunk = Tensor.randn([count, features], generator: generator)
            try handle.write(contentsOf: chunk.scalars.withUnsafeBytes { Data($0) })
            done += count
        }
    }

    /// One rank: `swift-lightning fit` in this process, then every rank's private and shared memory.
    static func worker(_ strategy: DataParallelStrategy, directory: String) throws {
        let status = LightningCLI(models: ModelFactory.builtIn, data: DataFactory.builtIn, programName: "swift-lightning").run([
            "fit", "--seed_everything", "1", "--trainer.logger", "false", "--trainer.enable_progress_bar", "false",
            "--trainer.enable_model_summary", "false", "--trainer.enable_checkpointing", "false", "--trainer.default_root_dir", directory,
            "--trainer.max_steps", "20", "--trainer.limit_val_batches", "0",
            "--data", "npy", "--data.inputs", directory + "/inputs.npy", "--data.targets", directory + "/targets.npy",
            "--data.batch_size", "64", "--model", "mlp", "--model.hidden_sizes", "[128]",
        ])
        guard status == 0 else { throw LightningError.misconfiguration("ddp-worker dataset-memory: swift-lightning fit exited \(status)") }
        let (privateMB, sharedMB) = memory()
        let all = strategy.communicator.allGather([privateMB, sharedMB])
        if strategy.isGlobalZero {
            print("max_private_mb \(all.map { $0[0] }.max()!)")
            print("max_shared_mb \(all.map { $0[1] }.max()!)")
        }
    }

    /// Private (clean + dirty) and shared-clean megabytes of this process now.
    static func memory() -> (private: Double, shared: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/smaps_rollup", encoding: .utf8) else { return (0, 0) }
        func kilobytes(_ key: String) -> Double {
            text.split(separator: "\n").first { $0.hasPrefix(key + ":") }
                .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? 0
        }
        return ((kilobytes("Private_Clean") + kilobytes("Private_Dirty")) / 1024, kilobytes("Shared_Clean") / 1024)
    }
}
