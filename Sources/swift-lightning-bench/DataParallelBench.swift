import CMPI
import Foundation
import Lightning
import LightningCLI
import LightningDistributed

/// The data-parallel figures. The bench launches itself under `mpirun` (`ddp-worker` mode), one
/// BLAS thread per rank, and reads what rank 0 prints.
enum DataParallelBench {
    /// Runs every multi-rank measurement and reports its lines.
    static func run() throws {
        let allreduce = try launch(ranks: 2, ["allreduce"])
        report("allreduce_overhead_ratio", try value("ratio", in: allreduce), digits: 3)
        let bareSeconds = try value("bare_s", in: allreduce)
        let communicator = try launch(ranks: 2, ["communicator-overhead"])
        for name in ["communicator_allreduce_overhead_ratio", "small_allreduce_overhead_ns", "watchdog_bookkeeping_ns"] {
            report(name, try value(name, in: communicator), digits: 3)
        }

        // 1- and 2-rank launches alternate (1, 2, 1, 2, …, 1), and each 2-rank launch is compared
        // with the mean of the 1-rank launches either side of it; the median of 5 ratios counts.
        // A shared machine's speed drifts between launches more than the effect measured. At batch
        // 256 the bound is measured too: 2 ranks that only meet in a barrier each step.
        let rounds = 5
        var ratios256: [Double] = [], bounds256: [Double] = [], ratios64: [Double] = [], bounds64: [Double] = []
        var previous256 = try value("samples_per_s", in: try launch(ranks: 1, ["train", "--batch", "256"]))
        var previous64Output = try launch(ranks: 1, ["train", "--batch", "64"])
        for round in 0..<rounds {
            // The lockstep bound goes before or after the strategy's launch, in turn.
            let lockstepFirst = round % 2 == 1
            let early = lockstepFirst ? try value("samples_per_s", in: try launch(ranks: 2, ["train", "--batch", "256", "--lockstep"])) : 0
            let two256 = try value("samples_per_s", in: try launch(ranks: 2, ["train", "--batch", "256"]))
            let lockstep256 = lockstepFirst ? early : try value("samples_per_s", in: try launch(ranks: 2, ["train", "--batch", "256", "--lockstep"]))
            let two64 = try value("samples_per_s", in: try launch(ranks: 2, ["train", "--batch", "64"]))
            let next256 = try value("samples_per_s", in: try launch(ranks: 1, ["train", "--batch", "256"]))
            let next64Output = try launch(ranks: 1, ["train", "--batch", "64"])
            ratios256.append(two256 / ((previous256 + next256) / 2))
            bounds256.append(lockstep256 / ((previous256 + next256) / 2))
            let one64 = (try value("samples_per_s", in: previous64Output) + value("samples_per_s", in: next64Output)) / 2
            ratios64.append(two64 / one64)
            let stepSeconds = (try value("step_s", in: previous64Output) + value("step_s", in: next64Output)) / 2
            bounds64.append(2 * stepSeconds / (stepSeconds + bareSeconds))
            previous256 = next256
            previous64Output = next64Output
        }
        let rounded = { (values: [Double]) in values.map { String(format: "%.3f", $0) }.joined(separator: " ") }
        StandardError.write(line: "# rounds: ddp_scaling_2ranks \(rounded(ratios256)); ddp_scaling_lockstep_bound \(rounded(bounds256)); ddp_scaling_2ranks_b64 \(rounded(ratios64)); ddp_scaling_bound_b64 \(rounded(bounds64))")
        report("ddp_scaling_2ranks", median(ratios256), digits: 3)
        report("ddp_scaling_lockstep_bound", median(bounds256), digits: 3)
        report("ddp_scaling_2ranks_b64", median(ratios64), digits: 3)
        report("ddp_scaling_bound_b64", median(bounds64), digits: 3)

        let digits = try launch(ranks: 4, ["digits"])
        report("rss_per_rank_mb", try value("max_rss_mb", in: digits), digits: 1)
    }

    /// `mpirun -n ranks <this executable> ddp-worker arguments`, with a timeout, one BLAS thread each.
    static func launch(ranks: Int, _ arguments: [String]) throws -> String {
        guard let mpirun = MPIRunCommand.locateMPIRun() else { throw LightningError.misconfiguration("mpirun is not on PATH") }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        // `timeout` past mpirun's own: the deadline for the launcher itself.
        let (status, output) = try runChild("/usr/bin/env", ["timeout", "600"] + MPIRunCommand(ranks: ranks, timeoutSeconds: 590, forwarding: ["OPENBLAS_NUM_THREADS"])
            .arguments(mpirun: mpirun, program: [executablePath(), "ddp-worker"] + arguments), environment: MPIRunCommand.environment(environment))
        guard status == 0 else {
            throw LightningError.misconfiguration("mpirun -n \(ranks) ddp-worker \(arguments) failed (\(status)):\n\(output)")
        }
        return output
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The number after `key ` in `output`.
    static func value(_ key: String, in output: String) throws -> Double {
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == key, let number = Double(parts[1]) { return number }
        }
        throw LightningError.misconfiguration("no '\(key)' in the worker's output:\n\(output)")
    }
}

/// What one rank of a `ddp-worker` launch does.
enum DataParallelWorker {
    static func run(_ arguments: [String]) throws {
        // `--overlap`, `--no-shared-memory`, `--bucket-mb X`: the strategy's options, to compare them;
        // `train --lockstep`: no averaging, only a barrier per step (the bound for training);
        // `communicator-overhead` and `sweep` (`--rounds N`) time the communicator alone.
        let bucketMB = arguments.firstIndex(of: "--bucket-mb").map { Double(arguments[$0 + 1])! } ?? 25
        let strategy = DataParallelStrategy(bucketCapMB: bucketMB, sharedMemory: !arguments.contains("--no-shared-memory"),
                                            overlapWithBackward: arguments.contains("--overlap"))
        let mode = arguments.first ?? ""
        let batch = arguments.firstIndex(of: "--batch").map { Int(arguments[$0 + 1])! } ?? 64
        switch mode {
        case "allreduce": try allreduce(strategy)
        case "train": try train(strategy, batch: batch, lockstep: arguments.contains("--lockstep"))
        case "digits": try digits(strategy)
        case "dataset-memory":
            guard let index = arguments.firstIndex(of: "--directory"), index + 1 < arguments.count else {
                throw LightningError.misconfiguration("ddp-worker dataset-memory: --directory DIR is required")
            }
            try DatasetMemoryBench.worker(strategy, directory: arguments[index + 1])
        case "predict":
            guard let at = arguments.firstIndex(of: "--directory") else { throw LightningError.misconfiguration("ddp-worker predict: no --directory") }
            try PredictionBench.worker(strategy, directory: arguments[at + 1])
        case "communicator-overhead": CommunicatorOverhead(strategy.communicator, rounds: rounds(arguments, default: 60)).run()
        case "sweep": AllReduceSweep(strategy.communicator, rounds: rounds(arguments, default: 20)).run()
        default: throw LightningError.misconfiguration("ddp-worker: unknown mode '\(mode)'")
        }
    }

    /// `--rounds N`, or `fallback`.
    private static func rounds(_ arguments: [String], default fallback: Int) -> Int {
        arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? fallback
    }

    /// The MLP's gradient averaged through the strategy against a bare `MPI_Allreduce` of the same bytes.
    static func allreduce(_ strategy: DataParallelStrategy) throws {
        let model = BenchMLP(generator: Generator(seed: 0))
        model.flattenGradients()
        // As the Trainer does: setup may move the gradient buffer into node-shared memory.
        try strategy.setup(module: model)
        let buffer = model.gradientBuffer!
        for parameter in model.parameters() { parameter.grad = parameter.gradientSlot }
        var bare = [Float](repeating: 0, count: buffer.count)
        let rounds = 60
        var viaStrategy: [Double] = [], viaMPI: [Double] = []
        let value = Float(strategy.globalRank + 1)
        for round in -5..<rounds {
            // As backward does before each reduction, every rank writes its whole gradient just
            // before each timed reduction (so both start from the same cache state).
            buffer.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
            strategy.communicator.barrier()
            var start = now()
            try strategy.reduceGradients(module: model)
            let a = now() - start
            bare.withUnsafeMutableBufferPointer { $0.update(repeating: value) }
            strategy.communicator.barrier()
            start = now()
            bare.withUnsafeMutableBufferPointer { b in
                _ = MPI_Allreduce(cmpi_in_place(), b.baseAddress, Int32(b.count), cmpi_float(), cmpi_sum(), cmpi_comm_world())
            }
            let b = now() - start
            if round >= 0 { viaStrategy.append(a); viaMPI.append(b) }
        }
        // The optimized build's averaging is checked here (the tests run the debug build's).
        let expected = Float(strategy.worldSize + 1) / 2
        let wrong = buffer.withUnsafeMutableBufferPointer { $0.firstIndex { $0 != expected } }
        if let wrong { throw LightningError.misconfiguration("rank \(strategy.globalRank): averaged gradient element \(wrong) is not \(expected)") }
        let slowest = strategy.communicator.allReduced(viaStrategy + viaMPI, op: .max)
        let strategyMedian = median(Array(slowest[..<rounds])), bareMedian = median(Array(slowest[rounds...]))
        if strategy.isGlobalZero {
            print("ratio \(strategyMedian / bareMedian)")
            print("bare_s \(bareMedian)")
        }
    }

    /// Training throughput of the MLP through `Trainer.fit`: 9 epochs of 20 steps per rank; the
    /// fastest epoch after the first counts. This host's cores slow down by up to half for
    /// seconds at a time, one or both at once; short epochs give the 1-rank and the 2-rank run
    /// alike more chances to catch a window where their cores run at full speed.
    ///
    /// `lockstep`: every rank trains alone on data of its own size (one process's strategy) and
    /// the ranks only meet in one `MPI_Barrier` after each backward: synchronous data parallelism
    /// whose gradient averaging costs nothing, the most any implementation could reach here.
    static func train(_ strategy: DataParallelStrategy, batch: Int, lockstep: Bool) throws {
        let steps = 20
        let world = strategy.worldSize
        let generator = Generator(seed: 0)
        let samples = batch * steps * world
        let rankSamples = lockstep ? batch * steps : samples
        let x = Tensor.randn([rankSamples, 784], generator: generator)
        let y = Tensor.randint(0, 10, [rankSamples], generator: generator)
        // Batches are slices of tensors in memory, and each rank has one core: a prefetch thread
        // would only time-share the rank's core with its training step.
        let loader = DataLoader(TensorDataset(x, y), batchSize: batch, shuffle: true, seed: 1, prefetch: 0)
        let timer = EpochTimer()
        let trainer = Trainer(maxEpochs: 9, logEveryNSteps: 50, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, callbacks: lockstep ? [timer, BarrierAfterBackward(strategy.communicator)] : [timer],
                              logger: false, strategy: lockstep ? SingleDeviceStrategy() : strategy)
        try trainer.fit(BenchMLP(generator: generator), trainDataloaders: loader)
        let epoch = timer.seconds.dropFirst().min()!
        if strategy.isGlobalZero {
            print("samples_per_s \(Double(samples) / epoch)")
            print("step_s \(epoch / Double(steps))")
        }
    }

    /// `swift-lightning fit` on the digits (the CLI's built-in MLP and data, its batch size and
    /// checkpointing), 5 epochs; every rank reports its peak resident memory.
    static func digits(_ strategy: DataParallelStrategy) throws {
        let root = NSTemporaryDirectory() + "swift-lightning-bench-\(getppid())"
        let status = LightningCLI(models: ModelFactory.builtIn, data: DataFactory.builtIn, programName: "swift-lightning").run([
            "fit", "--trainer.max_epochs", "5", "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false",
            "--trainer.default_root_dir", root, "--trainer.callbacks+=ModelCheckpoint", "--trainer.callbacks.monitor", "val_loss",
            "--data.batch_size", "32",
        ])
        guard status == 0 else { throw LightningError.misconfiguration("ddp-worker digits: swift-lightning fit exited \(status)") }
        let peaks = strategy.communicator.allGather([peakResidentMegabytes()])
        if strategy.isGlobalZero {
            print("max_rss_mb \(peaks.map { $0[0] }.max()!)")
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    /// `VmHWM` from /proc/self/status, in MB.
    static func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

/// Times each training epoch.
final class EpochTimer: Callback {
    var seconds: [Double] = []
    private var start = 0.0
    func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws { start = now() }
    func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws { seconds.append(now() - start) }
}

/// Meets the other ranks in a barrier after each backward, as gradient averaging would.
final class BarrierAfterBackward: Callback {
    private let communicator: any Communicator
    init(_ communicator: any Communicator) { self.communicator = communicator }
    func onAfterBackward(trainer: Trainer, module: LightningModuleBase) throws { communicator.barrier() }
}
