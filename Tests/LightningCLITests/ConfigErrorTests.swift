import LightningTestSupport
import XCTest
@testable import LightningCLI

/// Every kind of configuration mistake is an error naming the key and what was expected, with
/// "did you mean" for near misses.
final class ConfigErrorTests: XCTestCase {
    func testUnknownKeysSuggestTheClosest() {
        assertConfigError(["--trainer.max_epoch", "5"], contains: ["trainer.max_epoch", "unknown key", "did you mean 'max_epochs'"])
        assertConfigError(["--trainr.max_epochs", "5"], contains: ["trainr", "did you mean 'trainer'"])
        assertConfigError(["--max_epochs", "5"], contains: ["did you mean '--trainer.max_epochs'"])
        assertConfigError(["--model.hiden_sizes", "5"], contains: ["model.init_args.hiden_sizes", "did you mean 'hidden_sizes'"])
        assertConfigError(["--data.batchsize", "5"], contains: ["data.init_args.batchsize", "did you mean 'batch_size'"])
        assertConfigError(["--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.patiense", "5"],
                          contains: ["trainer.callbacks[0].init_args.patiense", "did you mean 'patience'"])
        assertConfigError(["--trainer.num_gpus", "1"], contains: ["trainer.num_gpus", "unknown key"])
    }

    func testWrongTypesSayWhatWasExpected() {
        assertConfigError(["--trainer.max_epochs", "five"], contains: ["trainer.max_epochs", "expected an integer", "'five'"])
        assertConfigError(["--trainer.enable_progress_bar", "maybe"], contains: ["trainer.enable_progress_bar", "true or false"])
        assertConfigError(["--model.hidden_sizes", "[64, x]"], contains: ["model.init_args.hidden_sizes", "a list of integers"])
        assertConfigError(["--trainer.limit_train_batches", "all"], contains: ["trainer.limit_train_batches", "a batch count"])
        assertConfigError(["--trainer", "5"], contains: ["trainer", "expected a mapping"])
        assertConfigError(["--seed_everything", "lucky"], contains: ["seed_everything", "an integer seed"])
        assertConfigError(["--trainer.max_time", "1:2"], contains: ["trainer.max_time", "DD:HH:MM:SS"])
    }

    func testValuesOutOfRange() {
        assertConfigError(["--trainer.max_epochs=-3"], contains: ["trainer.max_epochs", ">= -1", "-3"])
        assertConfigError(["--data.batch_size", "0"], contains: ["data.init_args.batch_size", ">= 1"])
        assertConfigError(["--trainer.limit_val_batches", "1.5"], contains: ["trainer.limit_val_batches", "fraction in [0, 1]"])
        assertConfigError(["--model.dropout", "1"], contains: ["model.init_args.dropout", "[0, 1)"])
        assertConfigError(["--trainer.callbacks+=ModelCheckpoint", "--trainer.callbacks.save_top_k=-2"],
                          contains: ["trainer.callbacks[0].init_args.save_top_k", ">= -1"])
        assertConfigError(["--trainer.callbacks+=EarlyStopping"], contains: ["trainer.callbacks[0].init_args.monitor", "required"])
        assertConfigError(["predict", "--predict.output", "out.txt"], contains: ["predict.output", ".npy, .csv or .safetensors"])
        assertConfigError(["--trainer.num_nodes", "2"], contains: ["trainer.num_nodes", "launcher"])
    }

    func testUnknownNamesAndChoicesSuggestTheClosest() {
        assertConfigError(["--model", "mlpp"], contains: ["model", "unknown model 'mlpp'", "did you mean 'mlp'", "choices: mlp, cnn"])
        assertConfigError(["--data", "digit"], contains: ["data", "did you mean 'digits'"])
        assertConfigError(["--trainer.callbacks+=EarlyStoping"], contains: ["trainer.callbacks", "did you mean 'EarlyStopping'"])
        assertConfigError(["--trainer.logger", "tensorbaord"], contains: ["trainer.logger", "did you mean 'tensorboard'"])
        assertConfigError(["--model.activation", "rleu"], contains: ["model.init_args.activation", "did you mean 'relu'"])
        assertConfigError(["--trainer.accelerator", "gpus"], contains: ["trainer.accelerator", "did you mean 'gpu'", "choices: auto, cpu, gpu, cuda"])
        assertConfigError(["--trainer.gradient_clip_algorithm", "norms"], contains: ["did you mean 'norm'"])
    }

    func testCommandLineMistakes() {
        XCTAssertThrowsError(try CommandLineParser.parse(["fot"])) { XCTAssertTrue("\($0)".contains("did you mean 'fit'"), "\($0)") }
        XCTAssertThrowsError(try CommandLineParser.parse(["fit", "--trainer.max_epochs"])) { XCTAssertTrue("\($0)".contains("--trainer.max_epochs: expected a value")) }
        XCTAssertThrowsError(try CommandLineParser.parse(["fit", "--trainer.max_epochs", "--print_config"])) { XCTAssertTrue("\($0)".contains("expected a value")) }
        XCTAssertThrowsError(try CommandLineParser.parse(["fit", "extra"])) { XCTAssertTrue("\($0)".contains("unexpected argument 'extra'")) }
        assertConfigError(["--trainer.callbacks.patience", "3"], contains: ["no callback", "--trainer.callbacks+="])
        assertConfigError(["--trainer.logger", "false", "--trainer.logger.name", "x"], contains: ["logging is off"])
        assertConfigError(["--trainer.max_epochs+=3"], contains: ["only lists of components", "--trainer.max_epochs VALUE"])
    }

    func testUnreadableFiles() {
        let scratch = TemporaryDirectory(prefix: "cli-errors")
        defer { scratch.remove() }
        assertConfigError(["--config", scratch.file("missing.yaml")], contains: ["missing.yaml", "no such file"])
        let broken = scratch.write("broken.yaml", text: "trainer:\n  max_epochs: [1, 2\n")
        assertConfigError(["--config", broken], contains: ["broken.yaml", "not valid YAML", "line"])
        let list = scratch.write("list.yaml", text: "- 1\n- 2\n")
        assertConfigError(["--config", list], contains: ["list.yaml", "expected a mapping"])
        let unknown = scratch.write("unknown.yaml", text: "trainer:\n  max_epochs: 2\noptimizer:\n  lr: 0.1\n")
        assertConfigError(["--config", unknown], contains: ["optimizer", "unknown key"])
    }

    func testBuildErrorsNameTheKey() throws {
        let cli = builtInCLI()
        let scratch = TemporaryDirectory(prefix: "cli-build-errors")
        defer { scratch.remove() }
        func failure(_ arguments: [String]) -> String {
            let invocation = try! CommandLineParser.parse(["fit", "--trainer.logger", "false", "--trainer.enable_checkpointing", "false",
                                                           "--trainer.fast_dev_run", "true", "--trainer.enable_model_summary", "false"] + arguments)
            do {
                let config = try cli.resolvedConfig(.fit, steps: invocation.steps)
                try CLIRun(cli: cli, subcommand: .fit, config: config, reportStartup: false).execute()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(failure(["--model.input_size", "30"]).contains("model.init_args.input_size: expected 64"), failure(["--model.input_size", "30"]))
        XCTAssertTrue(failure(["--model", "cnn", "--model.channels", "[4, 4, 4, 4]"]).contains("model.init_args.channels: expected at most 3 conv blocks"))
        XCTAssertTrue(failure(["--model.task", "regression"]).contains("model.init_args.task: expected classification"))
        XCTAssertTrue(failure(["--data", "csv"]).contains("data.init_args.path: expected a file path (required)"))
        XCTAssertTrue(failure(["--data", "csv", "--data.path", scratch.file("none.csv")]).contains("data.init_args.path: expected an existing file"))
        XCTAssertTrue(failure(["--data.val_fraction", "0.5", "--data.test_fraction", "0.5"]).contains("val_fraction + test_fraction < 1"))
        XCTAssertEqual(failure([]), "no error")
    }
}
