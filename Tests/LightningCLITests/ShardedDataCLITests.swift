import Foundation
import LightningTestSupport
import Safetensors
import XCTest
@testable import LightningCLI

// Every MPI launch here goes through `ProbeRun.mpirun`, which passes mpirun's `--timeout` (its
// `limit:`) and kills the job's process group at a deadline: a hung rank cannot hold the test run.

/// `data shard` writes a directory `--data sharded` reads; with the exact order a fit on it ends
/// with the weights and optimizer state of the same fit on the one `.npy` file (mapped or in
/// memory), in one process and under `mpirun -n 3`; shard-local order trains under 3 ranks; a
/// damaged directory stops the run before training with every problem listed.
final class ShardedDataCLITests: XCTestCase {
    private var scratch: TemporaryDirectory!
    private var inputs = "", targets = ""

    override func setUp() {
        scratch = makeTemporaryDirectory(prefix: "cli-sharded")
        let n = 120
        inputs = scratch.file("x.npy")
        targets = scratch.file("y.npy")
        XCTAssertNoThrow(try NPY.write(Tensor.rand([n, 6], generator: Generator(seed: 4)), to: inputs))
        XCTAssertNoThrow(try NPY.write(Tensor(labels: (0..<n).map { ($0 * 5) % 3 }), to: targets))
    }
    override func tearDown() { scratch.remove() }

    private let common = ["--trainer.max_epochs", "2", "--trainer.enable_model_summary", "false",
                          "--trainer.enable_progress_bar", "false", "--seed_everything", "3", "--data.batch_size", "16"]

    /// `data shard` of the test arrays into `name` (shards of 25 samples: the last holds 20).
    private func shard(_ name: String, format: String = "npy") -> String {
        let directory = scratch.file(name)
        let status = builtInCLI().run(["data", "shard", "--input", inputs, "--targets", targets, "--output", directory,
                                       "--samples-per-shard", "25", "--format", format])
        XCTAssertEqual(status, 0)
        return directory
    }

    /// Fits in this process into `root` and returns the one checkpoint's tensors.
    private func fit(_ arguments: [String], root: String) throws -> SafetensorsArchive {
        let cli = builtInCLI()
        let invocation = try CommandLineParser.parse(["fit", "--trainer.default_root_dir", root] + common + arguments)
        let config = try cli.resolvedConfig(.fit, steps: invocation.steps)
        try CLIRun(cli: cli, subcommand: .fit, config: config, reportStartup: false).execute()
        return try onlyCheckpoint(under: root)
    }

    func testShardedFitEqualsOneFileAndInMemoryFit() throws {
        let npy = ["--data", "npy", "--data.inputs", inputs, "--data.targets", targets]
        let memory = try fit(npy + ["--data.mmap", "false"], root: scratch.file("memory"))
        let oneFile = try fit(npy, root: scratch.file("one-file"))
        XCTAssertFalse(trainedState(memory).isEmpty)
        XCTAssertEqual(trainedState(oneFile), trainedState(memory))
        for format in ["npy", "safetensors"] {
            let directory = shard("shards-\(format)", format: format)
            XCTAssertEqual(try ShardIndex.read(directory: directory).shards.map(\.sampleCount), [25, 25, 25, 25, 20])
            let sharded = try fit(["--data", "sharded", "--data.path", directory], root: scratch.file("sharded-\(format)"))
            XCTAssertEqual(trainedState(sharded), trainedState(memory), format)
        }
    }

    func testThreeRanksShardedEqualsNPYAndShardLocalTrains() throws {
        let directory = shard("shards")
        func run(_ data: [String], _ name: String) throws -> SafetensorsArchive {
            let root = scratch.file(name)
            let result = try ProbeRun.mpirun(ranks: 3, ["fit", "--trainer.default_root_dir", root] + common + data,
                                             limit: 180, executable: "swift-lightning")
            XCTAssertEqual(result.status, 0, result.output)
            return try onlyCheckpoint(under: root)
        }
        let npy = try run(["--data", "npy", "--data.inputs", inputs, "--data.targets", targets], "npy")
        let sharded = try run(["--data", "sharded", "--data.path", directory], "sharded")
        XCTAssertFalse(trainedState(npy).isEmpty)
        XCTAssertEqual(trainedState(sharded), trainedState(npy))
        let local = try run(["--data", "sharded", "--data.path", directory, "--data.order", "shard_local"], "local")
        XCTAssertEqual(Set(trainedState(local).keys), Set(trainedState(npy).keys))
        XCTAssertNotEqual(trainedState(local), trainedState(npy), "shard-local order is not the in-memory order")
    }

    func testDamagedShardsStopTheRunBeforeTrainingListingEveryProblem() throws {
        let directory = shard("shards")
        let index = try ShardIndex.read(directory: directory)
        let missing = directory + "/" + index.shards[0].files[1].name
        let truncated = directory + "/" + index.shards[3].files[0].name
        try FileManager.default.removeItem(atPath: missing)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: truncated))
        try bytes.dropLast(4).write(to: URL(fileURLWithPath: truncated))
        let root = scratch.file("run")
        let run = try ProbeRun.alone(["fit", "--trainer.default_root_dir", root, "--data", "sharded", "--data.path", directory] + common,
                                     limit: 60, executable: "swift-lightning")
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("2 problems"), run.output)
        XCTAssertTrue(run.output.contains(missing), run.output)
        XCTAssertTrue(run.output.contains(truncated), run.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/lightning_logs/version_0/checkpoints"), "no training ran")
    }

    func testShardCommandUsageErrors() {
        let cli = builtInCLI()
        XCTAssertEqual(cli.run(["data", "shard", "--input", inputs, "--output", scratch.file("a"), "--samples-per-shard", "10"]), 2,
                       "a .npy input needs --targets")
        XCTAssertEqual(cli.run(["data", "shard", "--input", inputs, "--targets", targets, "--output", scratch.file("b"),
                                "--samples-per-shard", "0"]), 2)
        let existing = shard("shards")
        XCTAssertEqual(cli.run(["data", "shard", "--input", inputs, "--targets", targets, "--output", existing, "--samples-per-shard", "10"]), 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.file("a")))
        XCTAssertEqual(cli.run(["data", "--help"]), 0)
    }

    func testCSVAndIDXInputsShardToWhatTheirReadersGive() throws {
        let csv = scratch.write("table.csv", text: "a,b,label\n0.5,1.25,2\n-3,4,0\n7,0.125,1\n")
        XCTAssertEqual(builtInCLI().run(["data", "shard", "--input", csv, "--output", scratch.file("csv"), "--samples-per-shard", "2"]), 0)
        let table = try CSV.read(path: csv, labelColumn: .name("label"))
        let fromCSV = try ShardedDataset<(Tensor, Tensor)>(directory: scratch.file("csv"))
        let all = try XCTUnwrap(fromCSV.batch(at: [0, 1, 2]))
        XCTAssertEqual(all.0.scalars, table.features.scalars)
        XCTAssertEqual(all.1.int64Scalars, try XCTUnwrap(table.labels).int64Scalars)

        func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        let n = 9
        let images = scratch.write("images", bigEndian(0x0803) + [n, 2, 2].flatMap { bigEndian(UInt32($0)) } + (0..<n * 4).map { UInt8(($0 * 37) % 256) })
        let labels = scratch.write("labels", bigEndian(0x0801) + bigEndian(UInt32(n)) + (0..<n).map { UInt8($0 % 4) })
        XCTAssertEqual(builtInCLI().run(["data", "shard", "--input", images, "--targets", labels, "--output", scratch.file("idx"),
                                         "--samples-per-shard", "4", "--format", "safetensors"]), 0)
        let reference = try IDX.dataset(images: images, labels: labels)
        let fromIDX = try ShardedDataset<(Tensor, Tensor)>(directory: scratch.file("idx"))
        let batch = try XCTUnwrap(fromIDX.batch(at: Array(0..<n)))
        XCTAssertEqual(batch.0.scalars, reference.tensors[0].scalars)
        XCTAssertEqual(batch.0.shape, reference.tensors[0].shape)
        XCTAssertEqual(batch.1.int64Scalars, reference.tensors[1].int64Scalars)
    }
}
