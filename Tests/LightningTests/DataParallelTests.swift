import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// The Trainer under `mpirun`: `lightning-ddp-probe` runs one replica per process. Every launch
/// has mpirun's `--timeout` and a hard deadline that kills its process group (see `ProbeRun`).
final class DataParallelTests: XCTestCase {
    lazy var directory = makeTemporaryDirectory()

    /// Runs the probe on `ranks` processes and requires success.
    @discardableResult
    func probe(_ ranks: Int, _ arguments: [String], environment: [String: String] = [:], succeeds: Bool = true,
               file: StaticString = #filePath, line: UInt = #line) throws -> ProbeRun {
        let run = try ProbeRun.mpirun(ranks: ranks, arguments + ["--root", directory.path], environment: environment,
                                      limit: 60, executable: "lightning-ddp-probe")
        if succeeds {
            XCTAssertEqual(run.status, 0, "mpirun -n \(ranks) \(arguments):\n\(run.output)", file: file, line: line)
        }
        return run
    }

    func weights(_ path: String) throws -> [String: Tensor] { try Safetensors.read(path: path).tensors }

    /// 2 and 4 ranks with the same global batch reach the weights of 1 rank, for SGD and Adam,
    /// with and without gradient accumulation; gradients averaged in node-shared memory (the
    /// default) or by `MPI_Allreduce` in many small buckets, after backward or overlapping it.
    func testReplicasReachTheWeightsOfOneProcess() throws {
        let small = ["--bucket-mb", "0.0005"]
        let allPaths: [(name: String, flags: [String])] = [
            ("shared", []), ("allreduce", ["--shared-memory", "false"] + small),
            ("shared overlapped", ["--overlap", "true"] + small),
            ("allreduce overlapped", ["--shared-memory", "false", "--overlap", "true"] + small),
        ]
        for optimizer in ["sgd", "adam"] {
            for accumulate in ["1", "2"] {
                var results: [String: [String: Tensor]] = [:]
                let paths = accumulate == "1" ? allPaths : [allPaths[0], allPaths[3]]
                for ranks in [1, 2, 4] {
                    for path in ranks == 1 ? [paths[0]] : paths {
                        let out = directory.file("\(optimizer)-\(accumulate)-\(ranks)-\(path.name).safetensors")
                        try probe(ranks, ["fit", "--out", out, "--optimizer", optimizer, "--accumulate", accumulate,
                                          "--steps", "6", "--epochs", "10", "--samples", "64", "--global-batch", "16"] + path.flags)
                        results["\(ranks) \(path.name)"] = try weights(out)
                    }
                }
                let one = try XCTUnwrap(results["1 shared"])
                for (run, weights) in results where run != "1 shared" {
                    for (name, tensor) in one {
                        assertClose(try XCTUnwrap(weights[name]), tensor, rtol: 1e-5, atol: 1e-6,
                                    "\(optimizer), accumulate \(accumulate), \(run): \(name)")
                    }
                }
            }
        }
    }

    /// 2 ranks sharing one (emulated) GPU, their gradients averaged through host memory (the
    /// node-shared window, or MPI_Allreduce), reach one CPU process's weights.
    func testRanksOnAGPUReachTheWeightsOfOneProcess() throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        var results: [String: [String: Tensor]] = [:]
        for (name, ranks, flags) in [("1 cpu", 1, []), ("2 gpu shared", 2, ["--accelerator", "emulated-gpu"]),
                                     ("2 gpu allreduce", 2, ["--accelerator", "emulated-gpu", "--shared-memory", "false"])] {
            let out = directory.file("gpu-\(ranks)-\(name.split(separator: " ").last!).safetensors")
            try probe(ranks, ["fit", "--out", out, "--optimizer", "adam", "--steps", "6", "--epochs", "10", "--samples", "64", "--global-batch", "16"] + flags)
            results[name] = try weights(out)
        }
        let one = try XCTUnwrap(results["1 cpu"])
        for (run, weights) in results where run != "1 cpu" {
            for (name, tensor) in one { assertClose(try XCTUnwrap(weights[name]), tensor, rtol: 1e-5, atol: 1e-6, "\(run): \(name)") }
        }
    }

    /// Validation metrics over 13 samples (divisible by none of 2, 3, 4) equal one process's.
    func testEpochMetricsEqualOneProcessOnUnevenShards() throws {
        var results: [Int: [String: Double]] = [:]
        for ranks in [1, 2, 3, 4] {
            let out = directory.file("metrics-\(ranks).json")
            try probe(ranks, ["validate", "--out", out, "--val", "13", "--batch", "4"])
            results[ranks] = try JSONDecoder().decode([String: Double].self, from: Data(contentsOf: URL(fileURLWithPath: out)))
        }
        let one = try XCTUnwrap(results[1])
        XCTAssertEqual(one.keys.sorted(), ["val_acc", "val_loss"])
        for ranks in [2, 3, 4] {
            for (key, value) in one { assertClose(try XCTUnwrap(results[ranks]?[key]), value, rtol: 1e-6, atol: 1e-9, "\(key), \(ranks) ranks") }
        }
    }

    /// 10 validation samples in batches of 4 over 4 ranks leave rank 3 no batch: it still takes
    /// part in every validation (sanity check included), so the job finishes instead of hanging.
    func testRanksWithAnEmptyValidationShardTakePart() throws {
        let run = try probe(4, ["fit", "--out", directory.file("w.safetensors"), "--val", "10", "--epochs", "2", "--samples", "32",
                                "--global-batch", "8"], environment: ["LIGHTNING_COLLECTIVE_TIMEOUT": "20"])
        XCTAssertTrue(run.output.contains("rank 3 of 4 done"), run.output)
    }

    /// Gathered predictions equal one process's, exactly and in order (11 samples, batches of 4).
    func testGatheredPredictionsEqualOneProcess() throws {
        var files: [Int: Data] = [:]
        for ranks in [1, 2, 3, 4] {
            let out = directory.file("predictions-\(ranks).npy")
            try probe(ranks, ["predict", "--out", out, "--val", "11", "--batch", "4"])
            files[ranks] = try Data(contentsOf: URL(fileURLWithPath: out))
        }
        let one = try XCTUnwrap(files[1])
        XCTAssertEqual(try NPY.read(path: directory.file("predictions-1.npy")).shape, [11, 4])
        for ranks in [2, 3, 4] { XCTAssertEqual(files[ranks], one, "\(ranks) ranks") }
    }

    /// A 2-rank run killed by an error after a checkpoint resumes under mpirun to the same weights
    /// as the run never stopped; resuming it with 1 process is a clear error.
    func testResumeUnderMPIIsExactAndWorldSizeIsChecked() throws {
        let common = ["--epochs", "3", "--samples", "48", "--global-batch", "8", "--shuffle", "true", "--checkpoint-every", "4"]
        let straight = directory.file("straight.safetensors")
        try probe(2, ["fit", "--out", straight] + common)
        try FileManager.default.removeItem(atPath: directory.file("checkpoints"))

        let crashed = try probe(2, ["fail", "--out", directory.file("unused"), "--failure", "throw", "--rank", "1", "--step", "10"] + common,
                                succeeds: false)
        XCTAssertNotEqual(crashed.status, 0)
        let resumed = directory.file("resumed.safetensors")
        try probe(2, ["fit", "--out", resumed, "--resume", "last"] + common)
        let expected = try weights(straight), actual = try weights(resumed)
        for (name, tensor) in expected { XCTAssertEqual(actual[name]?.scalars, tensor.scalars, name) }

        let wrongWorld = try probe(1, ["fit", "--out", directory.file("unused"), "--resume", "last"] + common, succeeds: false)
        XCTAssertNotEqual(wrongWorld.status, 0)
        XCTAssertTrue(wrongWorld.output.contains("written by a run of 2 processes"), wrongWorld.output)
    }

    /// SIGTERM on one rank: every rank saves `last.ckpt` at the same batch and stops; resuming from
    /// it reaches the weights of the run never stopped.
    func testSIGTERMSavesACheckpointAndResumesExactly() throws {
        let common = ["--epochs", "3", "--samples", "48", "--global-batch", "8", "--shuffle", "true", "--checkpoint-every", "1000"]
        let straight = directory.file("straight.safetensors")
        try probe(2, ["fit", "--out", straight] + common)
        let stopped = try probe(2, ["fail", "--out", directory.file("unused"), "--failure", "sigterm", "--rank", "1", "--step", "5"] + common,
                                succeeds: false)
        XCTAssertEqual(stopped.status, 3, stopped.output)
        XCTAssertTrue(stopped.output.contains("interrupted by SIGTERM"), stopped.output)
        let saved = try CheckpointIO.read(path: directory.file("checkpoints/last.ckpt"))
        XCTAssertEqual(saved.globalStep, 8, "all ranks stop at the first agreed check after the signal")
        let resumed = directory.file("resumed.safetensors")
        try probe(2, ["fit", "--out", resumed, "--resume", "last"] + common)
        let expected = try weights(straight), actual = try weights(resumed)
        for (name, tensor) in expected { XCTAssertEqual(actual[name]?.scalars, tensor.scalars, name) }
    }

    /// A rank that throws, is killed, logs other keys or meets a NaN in backward under
    /// `detectAnomaly` ends the job non-zero within 5 s, naming the rank (and the operation); a
    /// rank that stops answering is caught by the watchdog within its timeout + 5 s.
    func testFailingRanksEndTheJobPromptly() throws {
        let cases: [(failure: String, timeout: String?, limit: Double, expected: [String])] = [
            ("throw", nil, 5, ["[rank 1]", "deliberate error"]),
            ("kill", nil, 5, []),
            ("keys", nil, 5, ["extra_metric", "rank 1", "ranks logged different keys"]),
            ("hang", "2", 7, ["timed out after 2", "allReduce"]),
            ("anomaly", nil, 5, ["[rank 1] anomaly detected", "'sqrt' (inputs [4, 4]) returned NaN"]),
        ]
        for item in cases {
            var environment: [String: String] = [:]
            if let timeout = item.timeout { environment["LIGHTNING_COLLECTIVE_TIMEOUT"] = timeout }
            // Anomaly detection is on in every case; only `anomaly` produces a NaN for it to find.
            let run = try probe(2, ["fail", "--out", directory.file("unused"), "--failure", item.failure, "--rank", "1", "--step", "2",
                                    "--epochs", "2", "--samples", "32", "--global-batch", "8", "--detect-anomaly", "true"],
                            environment: environment, succeeds: false)
            XCTAssertNotNil(run.status, "\(item.failure): the job hung:\n\(run.output)")
            XCTAssertNotEqual(run.status, 0, "\(item.failure):\n\(run.output)")
            XCTAssertLessThan(run.seconds, item.limit + 1.5, "\(item.failure) took \(run.seconds) s")  // + launch time
            for text in item.expected { XCTAssertTrue(run.output.contains(text), "\(item.failure): no '\(text)' in:\n\(run.output)") }
        }
    }
}
