import Foundation
import LightningTestSupport
import Safetensors
import XCTest
@testable import LightningCLI

/// A fit on mapped files ends with exactly the weights and optimizer state of the same fit on
/// the files read into memory (`--data.mmap false`), for `.npy` and IDX, and the `safetensors`
/// option over the same arrays matches too.
final class MappedDataCLITests: XCTestCase {
    private var scratch: TemporaryDirectory!

    override func setUp() { scratch = TemporaryDirectory(prefix: "cli-mapped") }
    override func tearDown() { scratch.remove() }

    /// Fits two epochs in this process into `root` and returns the one checkpoint's tensors.
    private func fit(_ arguments: [String], root: String) throws -> SafetensorsArchive {
        let cli = builtInCLI()
        let invocation = try CommandLineParser.parse(["fit", "--trainer.max_epochs", "2", "--trainer.enable_model_summary", "false",
                                                      "--trainer.enable_progress_bar", "false", "--seed_everything", "3",
                                                      "--trainer.default_root_dir", root] + arguments)
        let config = try cli.resolvedConfig(.fit, steps: invocation.steps)
        try CLIRun(cli: cli, subcommand: .fit, config: config, reportStartup: false).execute()
        return try onlyCheckpoint(under: root)
    }


    func testMappedFitEqualsInMemoryFit() throws {
        let n = 120
        let x = Tensor.rand([n, 6], generator: Generator(seed: 4))
        let y = Tensor(labels: (0..<n).map { $0 % 3 })
        let inputs = scratch.file("x.npy"), targets = scratch.file("y.npy")
        try NPY.write(x, to: inputs)
        try NPY.write(y, to: targets)
        let npy = ["--data", "npy", "--data.inputs", inputs, "--data.targets", targets, "--data.batch_size", "16"]
        let mapped = try fit(npy, root: scratch.file("mapped"))
        let memory = try fit(npy + ["--data.mmap", "false"], root: scratch.file("memory"))
        XCTAssertFalse(trainedState(mapped).isEmpty)
        XCTAssertEqual(trainedState(mapped), trainedState(memory))

        let file = scratch.file("data.safetensors")
        try Safetensors.write(["inputs": x, "labels": y], to: file)
        let safetensors = try fit(["--data", "safetensors", "--data.path", file, "--data.inputs", "inputs", "--data.targets", "labels",
                                   "--data.batch_size", "16"], root: scratch.file("safetensors"))
        XCTAssertEqual(trainedState(safetensors), trainedState(memory))
    }

    func testMappedMNISTFitEqualsInMemoryFit() throws {
        func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        let n = 40
        let images = scratch.write("images", bigEndian(0x0803) + [n, 5, 5].flatMap { bigEndian(UInt32($0)) } + (0..<n * 25).map { UInt8(($0 * 37) % 256) })
        let labels = scratch.write("labels", bigEndian(0x0801) + bigEndian(UInt32(n)) + (0..<n).map { UInt8($0 % 4) })
        let mnist = ["--data", "mnist", "--data.images", images, "--data.labels", labels, "--data.batch_size", "8"]
        let mapped = try fit(mnist, root: scratch.file("mapped"))
        let memory = try fit(mnist + ["--data.mmap", "false"], root: scratch.file("memory"))
        XCTAssertFalse(trainedState(mapped).isEmpty)
        XCTAssertEqual(trainedState(mapped), trainedState(memory))
    }
}
