import LightningTestSupport
import XCTest
@testable import LightningCLI

/// Every built-in model trains on every kind of built-in data for one batch (`fast_dev_run`),
/// sizing itself from the data.
final class BuiltInComponentTests: XCTestCase {
    private var scratch: TemporaryDirectory!

    override func setUp() { scratch = TemporaryDirectory(prefix: "cli-builtins") }
    override func tearDown() { scratch.remove() }

    /// Runs `fit` in this process with one batch per stage and nothing written.
    private func fastFit(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) {
        let cli = builtInCLI()
        do {
            let invocation = try CommandLineParser.parse(["fit", "--trainer.fast_dev_run", "true", "--trainer.enable_model_summary", "false",
                                                          "--trainer.enable_progress_bar", "false", "--seed_everything", "0"] + arguments)
            let config = try cli.resolvedConfig(.fit, steps: invocation.steps)
            try CLIRun(cli: cli, subcommand: .fit, config: config, reportStartup: false).execute()
        } catch {
            XCTFail("\(arguments): \(error)", file: file, line: line)
        }
    }

    func testModelsOnDigitsAndSyntheticData() {
        fastFit([])
        fastFit(["--model", "cnn"])
        fastFit(["--model", "cnn", "--data.flat", "false", "--model.channels", "[4, 4, 4]", "--model.hidden_size", "0"])
        fastFit(["--model.hidden_sizes", "[32, 16]", "--model.dropout", "0.1", "--model.activation", "gelu", "--model.optimizer", "sgd"])
        fastFit(["--data", "synthetic", "--data.features", "16", "--data.classes", "3"])
        fastFit(["--data", "synthetic", "--data.task", "regression", "--data.outputs", "2", "--model.optimizer", "adamw"])
        fastFit(["--data", "synthetic", "--data.features", "16", "--model", "cnn", "--model.channels", "[4]"])
    }

    func testFileData() throws {
        let csv = scratch.write("data.csv", text: "a,b,label\n" + (0..<40).map { "\(Double($0) / 40),\(Double($0 % 3)),\($0 % 3)" }.joined(separator: "\n") + "\n")
        fastFit(["--data", "csv", "--data.path", csv])
        fastFit(["--data", "csv", "--data.path", csv, "--data.label_column", "-1", "--data.task", "regression", "--model.optimizer", "rmsprop"])

        let inputs = scratch.file("x.npy"), targets = scratch.file("y.npy")
        try NPY.write(Tensor.rand([40, 2, 3]), to: inputs)
        try NPY.write(Tensor(labels: (0..<40).map { $0 % 4 }), to: targets)
        fastFit(["--data", "npy", "--data.inputs", inputs, "--data.targets", targets])

        let images = scratch.write("images-idx3-ubyte", Self.idx(magic: 0x0803, shape: [30, 6, 6], bytes: (0..<(30 * 36)).map { UInt8($0 % 256) }))
        let labels = scratch.write("labels-idx1-ubyte", Self.idx(magic: 0x0801, shape: [30], bytes: (0..<30).map { UInt8($0 % 10) }))
        fastFit(["--data", "mnist", "--data.images", images, "--data.labels", labels])
        fastFit(["--data", "mnist", "--data.images", images, "--data.labels", labels, "--model", "cnn", "--model.channels", "[4]"])
    }

    /// An IDX file: the magic number, big-endian dimensions, then the bytes.
    private static func idx(magic: UInt32, shape: [Int], bytes: [UInt8]) -> [UInt8] {
        func bigEndian(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8((value >> $0) & 0xFF) } }
        return bigEndian(magic) + shape.flatMap { bigEndian(UInt32($0)) } + bytes
    }
}
