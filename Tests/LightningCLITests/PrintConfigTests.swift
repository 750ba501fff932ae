import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `--print_config` prints the complete configuration; fed back with `--config`, it gives the
/// same configuration, and Python's YAML reads the same values.
final class PrintConfigTests: XCTestCase {
    func testPrintedConfigReadsBackTheSame() throws {
        let scratch = TemporaryDirectory(prefix: "cli-print")
        defer { scratch.remove() }
        let arguments = ["--model", "cnn", "--model.channels", "[8, 16]", "--trainer.max_epochs", "3", "--trainer.logger", "tensorboard",
                         "--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.monitor", "val_loss", "--trainer.callbacks+=ModelCheckpoint",
                         "--trainer.callbacks.filename", "{epoch}-{val_loss:.2f}", "--trainer.default_root_dir", "runs: one #1",
                         "--trainer.max_time", "{hours: 1}", "--data", "synthetic", "--data.noise", "0.25", "--seed_everything", "5"]
        let printed = try resolved(arguments).yamlText
        let file = scratch.write("printed.yaml", text: printed)
        let reread = try resolved(["--config", file])
        XCTAssertEqual(reread.yamlText, printed)
        XCTAssertEqual(value(reread, "trainer.default_root_dir"), .string("runs: one #1"))
        XCTAssertEqual(value(reread, "trainer.max_time"), .double(3600))

        try skipUnlessPython(modules: ["yaml"])
        let check = try runPython("""
            import sys, yaml
            c = yaml.safe_load(open(sys.argv[1]))
            assert c["trainer"]["max_epochs"] == 3, c["trainer"]["max_epochs"]
            assert c["trainer"]["callbacks"][1]["init_args"]["filename"] == "{epoch}-{val_loss:.2f}"
            assert c["trainer"]["default_root_dir"] == "runs: one #1"
            assert c["trainer"]["limit_train_batches"] == 1.0 and isinstance(c["trainer"]["limit_train_batches"], float)
            assert c["model"]["init_args"]["learning_rate"] == 0.001
            assert c["data"]["init_args"]["noise"] == 0.25 and c["seed_everything"] == 5
            print("ok")
            """, [file])
        XCTAssertTrue(check.succeeded, check.stderr)
    }

    func testYAMLTextQuotesWhatWouldReadAsSomethingElse() throws {
        let tricky = ["true", "null", "1.0", "5", "", "a: b", "#x", "- x", "[x]", "{x}", "yes", "~", "x # y", " padded ", "2024-01-01", "é"]
        var mapping = ConfigMapping()
        for (i, text) in tricky.enumerated() { mapping["k\(i)"] = .string(text) }
        mapping["small"] = .double(1e-5)
        mapping["whole"] = .double(2)
        mapping["infinite"] = .double(-.infinity)
        mapping["empty_list"] = .list([])
        mapping["empty_mapping"] = .mapping(ConfigMapping())
        mapping["nested"] = .list([.list([.int(1), .int(2)]), .mapping(ConfigMapping([("a", .null)]))])
        let value = ConfigValue.mapping(mapping)
        XCTAssertEqual(try ConfigValue(yaml: value.yamlText, source: "test"), value, value.yamlText)
        XCTAssertTrue(value.yamlText.contains("small: 1.0e-05"), "floats keep a dot for YAML 1.1 readers")
    }

    func testHelpListsEveryKey() {
        let help = builtInCLI().helpText(for: .fit)
        for key in ["--trainer.max_epochs", "--trainer.callbacks+=NAME", "--model.hidden_sizes", "--model.channels", "--data.batch_size",
                    "--data.path", "--seed_everything", "--ckpt_path", "EarlyStopping", "--trainer.logger.name"] {
            XCTAssertTrue(help.contains(key), "help lacks \(key)")
        }
        XCTAssertTrue(builtInCLI().helpText(for: .predict).contains("--predict.output"))
        XCTAssertTrue(builtInCLI().helpText(for: nil).contains("validate"))
    }
}
