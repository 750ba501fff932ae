import Foundation
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// The built `swift-lightning` and `custom-cli-example` executables, run as a user would.
final class ExecutableTests: XCTestCase {
    /// `swift-lightning fit` with no flags trains the MLP on the bundled digits to >= 0.95
    /// validation accuracy; `validate`, `test` and `predict` then find its best checkpoint.
    func testFitWithNoFlagsThenEvaluateAndPredictFromTheBestCheckpoint() throws {
        let run = TemporaryDirectory(prefix: "cli-fit")
        defer { run.remove() }
        let fit = try runExecutable("swift-lightning", ["fit"], in: run.path)
        XCTAssertTrue(fit.succeeded, fit.stdout + fit.stderr)
        let lines = fit.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.filter { $0.hasPrefix("epoch ") }.count, 20, fit.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("epoch 19  train_loss ") && $0.contains("val_acc") }, fit.stdout)
        let last = try XCTUnwrap(lines.last)
        let accuracy = try XCTUnwrap(Double(last.components(separatedBy: "val_acc ")[1].prefix(6)), last)
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, last)
        let best = try XCTUnwrap(last.components(separatedBy: "best checkpoint: ").last?.components(separatedBy: " (val_loss").first)
        XCTAssertTrue(FileManager.default.fileExists(atPath: best), best)
        XCTAssertTrue(best.hasPrefix(run.path + "/lightning_logs/version_0/checkpoints/epoch="), best)

        let logs = run.path + "/lightning_logs"
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: logs), ["version_0"])
        let version = logs + "/version_0"
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: version)), ["checkpoints", "config.yaml", "hparams.yaml", "metrics.csv", "metrics.svg"])
        let saved = try ConfigValue(yaml: String(contentsOfFile: version + "/config.yaml", encoding: .utf8), source: "config.yaml")
        guard case .int = value(saved, "seed_everything") else { return XCTFail("config.yaml records the seed drawn for seed_everything: true") }
        XCTAssertEqual(value(saved, "trainer.max_epochs"), .int(20))

        let validate = try runExecutable("swift-lightning", ["validate", "--ckpt_path", "best", "--trainer.logger", "false"], in: run.path)
        XCTAssertTrue(validate.succeeded, validate.stderr)
        let validated = try XCTUnwrap(validate.stdout.split(separator: "\n").first { $0.hasPrefix("val_acc") })
        // The best checkpoint is the epoch with the lowest val_loss, not necessarily the last
        // (the seed is drawn): its val_acc is the one metrics.csv recorded for that epoch.
        let bestEpoch = try XCTUnwrap(Int(best.components(separatedBy: "epoch=")[1].prefix { $0.isNumber }), best)
        let rows = try String(contentsOfFile: version + "/metrics.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try XCTUnwrap(rows.first?.firstIndex(of: "val_acc"))
        let recorded = try XCTUnwrap(rows.dropFirst().first { $0[0] == "\(bestEpoch)" && !$0[column].isEmpty }.flatMap { Double($0[column]) })
        XCTAssertEqual(try XCTUnwrap(Double(validated.split(separator: " ").last!)), recorded, accuracy: 1e-4, "the best checkpoint's weights")

        let predict = try runExecutable("swift-lightning", ["predict", "--ckpt_path", "best", "--predict.output", "preds.npy", "--trainer.logger", "false"],
                                        in: run.path)
        XCTAssertTrue(predict.succeeded, predict.stderr)
        let predictions = try NPY.read(path: run.file("preds.npy"))
        XCTAssertEqual(predictions.shape, [180, 10], "the 180-image test split, one row of logits each, in dataset order")
        let data = DigitsDataModule()
        try data.setup(stage: .predict)
        let labels = try XCTUnwrap(data.predictDataLoader()).map { $0.1.int64Scalars }.flatMap { $0 }
        let logits = predictions.scalars
        let correct = (0..<180).filter { row in
            let values = logits[(row * 10)..<(row * 10 + 10)]
            return Int64(values.firstIndex(of: values.max()!)! - row * 10) == labels[row]
        }.count
        XCTAssertGreaterThanOrEqual(Double(correct) / 180, 0.9, "predictions line up with the test split's labels")

        try skipUnlessPython(modules: ["safetensors.numpy"])
        let python = try runPython("""
            import sys
            from safetensors.numpy import load_file
            tensors = load_file(sys.argv[1])
            assert tensors["net.0.weight"].shape == (128, 64), tensors["net.0.weight"].shape
            assert tensors["net.2.weight"].shape == (10, 128)
            print("ok")
            """, [best])
        XCTAssertTrue(python.succeeded, python.stderr)
    }

    func testPredictionFormatsAndLastCheckpoint() throws {
        let run = TemporaryDirectory(prefix: "cli-predict")
        defer { run.remove() }
        let fit = try runExecutable("swift-lightning", ["fit", "--data", "synthetic", "--data.samples", "200", "--trainer.max_epochs", "2",
                                                        "--trainer.callbacks.save_last", "true", "--trainer.enable_model_summary", "false"], in: run.path)
        XCTAssertTrue(fit.succeeded, fit.stdout + fit.stderr)
        for output in ["p.csv", "p.safetensors"] {
            let predict = try runExecutable("swift-lightning", ["predict", "--data", "synthetic", "--data.samples", "200", "--ckpt_path", "last",
                                                                "--predict.output", output], in: run.path)
            XCTAssertTrue(predict.succeeded, predict.stderr)
            XCTAssertTrue(predict.stdout.contains("predicted 20 samples, each [10]; written to \(output)"), predict.stdout)
        }
        let csv = try String(contentsOfFile: run.file("p.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(csv.count, 21)
        XCTAssertEqual(try Safetensors.read(path: run.file("p.safetensors")).tensors["predictions"]?.shape, [20, 10])
    }

    func testErrorsExitWithStatus2AndNameTheKey() throws {
        let run = TemporaryDirectory(prefix: "cli-errors")
        defer { run.remove() }
        let result = try runExecutable("swift-lightning", ["fit", "--trainer.max_epoch", "5"], in: run.path)
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(result.stderr, "error: trainer.max_epoch: unknown key; did you mean 'max_epochs' or 'min_epochs'?\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: run.path), [], "nothing written")
        let printed = try runExecutable("swift-lightning", ["fit", "--print_config"], in: run.path)
        XCTAssertTrue(printed.succeeded)
        XCTAssertTrue(printed.stdout.hasPrefix("seed_everything: true\ntrainer:\n"), printed.stdout)
        let help = try runExecutable("swift-lightning", ["--help"], in: run.path)
        XCTAssertTrue(help.succeeded && help.stdout.contains("usage: swift-lightning"), help.stdout)
    }

    /// A user's own model and data module (Swift 6 language mode) behind `LightningCLI(models:data:)`.
    func testCustomModelExample() throws {
        let run = TemporaryDirectory(prefix: "cli-example")
        defer { run.remove() }
        let fit = try runExecutable("custom-cli-example", ["fit", "--trainer.max_epochs", "3", "--model.width", "16", "--trainer.logger", "false",
                                                           "--trainer.enable_model_summary", "false"], in: run.path)
        XCTAssertTrue(fit.succeeded, fit.stdout + fit.stderr)
        XCTAssertTrue(fit.stdout.contains("epoch 2  train_loss"), fit.stdout)
        let builtIn = try runExecutable("custom-cli-example", ["fit", "--model", "mlp", "--trainer.fast_dev_run", "true"], in: run.path)
        XCTAssertTrue(builtIn.succeeded, builtIn.stdout + builtIn.stderr)
        let printed = try runExecutable("custom-cli-example", ["fit", "--print_config"], in: run.path)
        XCTAssertTrue(printed.stdout.contains("model:\n  class_path: sine\n  init_args:\n    width: 32\n"), printed.stdout)
        let wrong = try runExecutable("custom-cli-example", ["fit", "--model.widht", "3"], in: run.path)
        XCTAssertEqual(wrong.status, 2)
        XCTAssertTrue(wrong.stderr.contains("model.init_args.widht: unknown key; did you mean 'width'?"), wrong.stderr)
    }
}
