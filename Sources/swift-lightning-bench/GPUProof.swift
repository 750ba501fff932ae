import Foundation
import Lightning
import LightningCUDA
import LightningDistributed
import LightningReference

/// The figures of issue 19's GPU proof (`scripts/gpu-proof.sh run` prints them on a GPU machine):
/// `swift-lightning-bench gpu`. Each needs a usable GPU; without one it prints `gpu_available 0`
/// and says what is missing.
enum GPUProof {
    /// The folder of this executable: the proof bundle puts `swift-lightning`, `ops.json` and the
    /// PyTorch script beside it.
    static let folder = (DataParallelBench.executablePath() as NSString).deletingLastPathComponent

    static func run() throws {
        let availability = CUDARuntime.shared.availability
        StandardError.write(line: availability.summary)
        guard availability.problem == nil else {
            StandardError.write(line: "gpu: \(availability.problem!)")
            report("gpu_available", 0, digits: 0)
            return
        }
        report("gpu_available", 1, digits: 0)
        report("gpu_ops_parity", try opsParity(), digits: 4)
        let scratch = NSTemporaryDirectory() + "gpu-proof-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        report("gpu_digits_val_acc", try digitsAccuracy("gpu", root: scratch + "/gpu"), digits: 4)
        report("cpu_digits_val_acc", try digitsAccuracy("cpu", root: scratch + "/cpu"), digits: 4)
        report("gpu_two_ranks_max_rel_diff", try twoRanksDifference(root: scratch), digits: 9)
        try stepRatios()
    }

    // MARK: - ops.json

    /// The share of `ops.json` cases whose output and gradients match PyTorch's within 1e-4
    /// relative on the GPU; each case runs in its own process (`gpu-op-case NAME`), since an op
    /// without a CUDA kernel stops its process.
    static func opsParity() throws -> Double {
        let cases = try OpCase.decodeAll(from: Data(contentsOf: URL(fileURLWithPath: opsPath)))
        var matched = 0
        for c in cases {
            let (status, output) = try runChild(DataParallelBench.executablePath(), ["gpu-op-case", c.name])
            if status == 0 { matched += 1 } else { StandardError.write(line: "gpu_ops_parity: \(c.name): \(output.trimmingCharacters(in: .whitespacesAndNewlines))") }
        }
        return Double(matched) / Double(Swift.max(cases.count, 1))
    }

    static var opsPath: String { ProcessInfo.processInfo.environment["SWIFT_LIGHTNING_OPS_JSON"] ?? folder + "/ops.json" }

    /// `gpu-op-case NAME`: runs one case on cuda:0; exits 0 when it matches, 3 when it does not.
    static func opCase(_ name: String) throws -> Never {
        guard let c = try OpCase.decodeAll(from: Data(contentsOf: URL(fileURLWithPath: opsPath))).first(where: { $0.name == name }) else {
            StandardError.write(line: "no case \(name) in \(opsPath)")
            exit(2)
        }
        if let mismatch = c.mismatch(on: .cuda(0)) {
            print("mismatch: \(mismatch)")
            exit(3)
        }
        exit(0)
    }

    // MARK: - Training through the CLI

    /// `swift-lightning fit` on the digits with its defaults (MLP, 20 epochs, seed 0) on
    /// `accelerator`; the final validation accuracy.
    static func digitsAccuracy(_ accelerator: String, root: String) throws -> Double {
        let output = try fit(["--trainer.accelerator", accelerator, "--seed_everything", "0"], root: root)
        guard let line = output.split(separator: "\n").last(where: { $0.contains("val_acc ") }),
              let value = Double(line.components(separatedBy: "val_acc ")[1].prefix(while: { $0 != " " })) else {
            throw LightningError.misconfiguration("no val_acc in swift-lightning fit's output:\n\(output)")
        }
        return value
    }

    /// 2 ranks sharing the GPU against 1 rank, the same global batches (64 samples, the first 20
    /// of each of 3 epochs, so no rank's shard is padded) and seed: the largest, over the last
    /// checkpoints' tensors, of ‖w₂ − w₁‖∞ / ‖w₁‖∞.
    static func twoRanksDifference(root: String) throws -> Double {
        let common = ["--trainer.accelerator", "gpu", "--seed_everything", "5", "--trainer.max_epochs", "3", "--trainer.limit_train_batches", "20",
                      "--trainer.callbacks.save_last", "true"]
        _ = try fit(common + ["--data.batch_size", "64"], root: root + "/one")
        _ = try fit(common + ["--data.batch_size", "32", "--trainer.allow_device_sharing", "true"], root: root + "/two", ranks: 2)
        let one = root + "/one/lightning_logs/version_0/checkpoints/last.ckpt", two = root + "/two/lightning_logs/version_0/checkpoints/last.ckpt"
        let a = try CheckpointIO.read(path: one).stateDict, b = try CheckpointIO.read(path: two).stateDict
        var worst = 0.0
        for (name, reference) in a {
            guard let other = b[name] else { throw LightningError.misconfiguration("the 2-rank checkpoint lacks \(name)") }
            let scale = reference.scalars.reduce(Float(0)) { Swift.max($0, abs($1)) }
            let difference = zip(reference.scalars, other.scalars).reduce(Float(0)) { Swift.max($0, abs($1.0 - $1.1)) }
            worst = Swift.max(worst, Double(difference / Swift.max(scale, .leastNormalMagnitude)))
        }
        return worst
    }

    /// Runs `swift-lightning fit ARGUMENTS` (under `mpirun -n ranks` when ranks > 1) in `root`.
    static func fit(_ arguments: [String], root: String, ranks: Int = 1) throws -> String {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let program = [folder + "/swift-lightning", "fit", "--trainer.enable_progress_bar", "false", "--trainer.default_root_dir", root] + arguments
        var command = program
        if ranks > 1 {
            guard let mpirun = MPIRunCommand.locateMPIRun() else { throw LightningError.misconfiguration("mpirun is not on PATH") }
            command = MPIRunCommand(ranks: ranks, timeoutSeconds: 300).arguments(mpirun: mpirun, program: program)
        }
        let (status, output) = try runChild(command[0], Array(command.dropFirst()), environment: MPIRunCommand.environment(ProcessInfo.processInfo.environment))
        guard status == 0 else { throw LightningError.misconfiguration("\(command.joined(separator: " ")) failed (\(status)):\n\(output)") }
        return output
    }

    // MARK: - Steps against PyTorch eager

    /// Our median step (forward, loss, backward, SGD-momentum update, the loss read back) on the
    /// GPU against PyTorch eager's on the same GPU, and the driver allocations per step after warm-up.
    static func stepRatios() throws {
        let generator = Generator(seed: 0)
        let mlp = try ourStep(LayerWorkload.mlp(generator: generator).model, input: [784], batch: 64, steps: 128, generator: generator)
        report("gpu_mlp_step_ratio", mlp.milliseconds / (try torchStep("mlp")))
        report("gpu_allocations_per_step", mlp.allocationsPerStep)
        let cnn = try ourStep(LayerWorkload.cnn(generator: generator).model, input: [1, 28, 28], batch: 64, steps: 128, generator: generator)
        report("gpu_cnn_step_ratio", cnn.milliseconds / (try torchStep("cnn")))
        let large = Sequential(Linear(784, 4096, generator: generator), ReLU(), Linear(4096, 4096, generator: generator), ReLU(),
                               Linear(4096, 10, generator: generator))
        let largeStep = try ourStep(large, input: [784], batch: 1024, steps: 32, generator: generator)
        // Throughput ratio: samples per second, ours over PyTorch's (its step time over ours).
        report("gpu_large_mlp_throughput_ratio", (try torchStep("large")) / largeStep.milliseconds)
    }

    /// The median step of `model` on cuda:0 over an epoch after a warm-up epoch, and the driver
    /// allocations per step during the timed epoch.
    static func ourStep(_ model: Sequential, input: [Int], batch: Int, steps: Int, generator: Generator) throws
        -> (milliseconds: Double, allocationsPerStep: Double) {
        model.to(.cuda(0))
        let workload = LayerWorkload(model)
        let features = input.reduce(1, *)
        let x = Tensor.randn([steps * batch] + input, generator: generator, device: .cuda(0))
        let y = Tensor.randint(0, 10, [steps * batch], generator: generator, device: .cuda(0))
        // Batches are views into the data on the GPU, as a loader that moved an epoch at once would give.
        func batchAt(_ i: Int) -> (Tensor, Tensor) {
            (Tensor(storage: x.storage, shape: [batch] + input, offset: i * batch * features),
             Tensor(storage: y.storage, shape: [batch], dtype: .int64, offset: i * batch))
        }
        for i in 0..<steps { let (xb, yb) = batchAt(i); workload.step(xb, yb) }
        let allocator = try CUDARuntime.shared.allocator(for: 0)
        let before = allocator.statistics.driverAllocations
        var times: [Double] = []
        for i in 0..<steps {
            let (xb, yb) = batchAt(i)
            let start = now()
            workload.step(xb, yb)
            times.append(now() - start)
        }
        return (median(times) * 1000, Double(allocator.statistics.driverAllocations - before) / Double(steps))
    }

    /// PyTorch eager's median step in ms for `kind` (`mlp`, `cnn`, `large`) from `gpu_proof_torch.py`.
    static func torchStep(_ kind: String) throws -> Double {
        let (status, output) = try runChild("/usr/bin/env", ["python3", folder + "/gpu_proof_torch.py", kind])
        guard status == 0, let line = output.split(separator: "\n").last(where: { $0.hasPrefix("step_ms ") }), let value = Double(line.dropFirst(8)) else {
            throw LightningError.misconfiguration("gpu_proof_torch.py \(kind) failed (\(status)):\n\(output)")
        }
        return value
    }
}
