import LightningTestSupport
import XCTest
@testable import LightningCLI

/// How defaults, `--config` files and dotted overrides combine: in command-line order, later wins.
final class ConfigMergeTests: XCTestCase {
    private var scratch: TemporaryDirectory!

    override func setUp() { scratch = TemporaryDirectory(prefix: "cli-merge") }
    override func tearDown() { scratch.remove() }

    func testDefaultsFillEveryKeyWithLightningDefaults() throws {
        let config = try resolved([])
        XCTAssertEqual(value(config, "seed_everything"), .bool(true))
        XCTAssertEqual(value(config, "trainer.max_epochs"), .null)
        XCTAssertEqual(value(config, "trainer.max_steps"), .int(-1))
        XCTAssertEqual(value(config, "trainer.limit_train_batches"), .double(1.0))
        XCTAssertEqual(value(config, "trainer.logger"), .bool(true))
        XCTAssertEqual(value(config, "trainer.callbacks"), .list([]))
        XCTAssertEqual(value(config, "model.class_path"), .string("mlp"))
        XCTAssertEqual(value(config, "model.init_args.hidden_sizes"), .list([.int(128)]))
        XCTAssertEqual(value(config, "data.class_path"), .string("digits"))
        XCTAssertEqual(value(config, "ckpt_path"), .null)
        XCTAssertNil(value(config, "predict"), "only predict has a predict section")
        XCTAssertEqual(value(try resolved(["predict"]), "predict.output"), .null)
    }

    func testLaterSourcesWinInCommandLineOrder() throws {
        let first = scratch.write("first.yaml", text: "trainer:\n  max_epochs: 5\n  log_every_n_steps: 7\n")
        let second = scratch.write("second.yaml", text: "trainer:\n  max_epochs: 6\n")
        let cli = builtInCLI(defaultConfig: "trainer:\n  max_epochs: 4\n  gradient_clip_val: 0.5\n")
        XCTAssertEqual(value(try resolved([], cli: cli), "trainer.max_epochs"), .int(4), "the program's defaults")
        var config = try resolved(["--config", first, "--config", second], cli: cli)
        XCTAssertEqual(value(config, "trainer.max_epochs"), .int(6), "the later file wins")
        XCTAssertEqual(value(config, "trainer.log_every_n_steps"), .int(7), "keys the later file leaves alone stay")
        XCTAssertEqual(value(config, "trainer.gradient_clip_val"), .double(0.5), "defaults under files")
        config = try resolved(["--config", first, "--trainer.max_epochs", "9"], cli: cli)
        XCTAssertEqual(value(config, "trainer.max_epochs"), .int(9), "a flag after a file wins")
        config = try resolved(["--trainer.max_epochs=9", "--config", first], cli: cli)
        XCTAssertEqual(value(config, "trainer.max_epochs"), .int(5), "a file after a flag wins")
        config = try resolved(["--trainer.max_epochs", "3", "--trainer.max_epochs=8"], cli: cli)
        XCTAssertEqual(value(config, "trainer.max_epochs"), .int(8))
        config = try resolved(["-c", first, "--trainer.max_epochs", "null"], cli: cli)
        XCTAssertEqual(value(config, "trainer.max_epochs"), .null)
    }

    func testFlagValuesReadAsTheOptionsTypes() throws {
        let config = try resolved(["--trainer.enable_progress_bar", "false", "--trainer.deterministic=true", "--trainer.limit_val_batches", "3",
                                   "--trainer.limit_train_batches", "0.25", "--trainer.max_time", "00:01:30:00", "--trainer.fast_dev_run", "true",
                                   "--model.hidden_sizes", "64,32", "--model.learning_rate", "1e-2", "--seed_everything", "7", "--ckpt_path", "last"])
        XCTAssertEqual(value(config, "trainer.enable_progress_bar"), .bool(false))
        XCTAssertEqual(value(config, "trainer.deterministic"), .bool(true))
        XCTAssertEqual(value(config, "trainer.limit_val_batches"), .int(3), "an integer is a batch count")
        XCTAssertEqual(value(config, "trainer.limit_train_batches"), .double(0.25), "a float is a fraction")
        XCTAssertEqual(value(config, "trainer.max_time"), .double(5400))
        XCTAssertEqual(value(config, "trainer.fast_dev_run"), .bool(true))
        XCTAssertEqual(value(config, "model.init_args.hidden_sizes"), .list([.int(64), .int(32)]))
        XCTAssertEqual(value(config, "model.init_args.learning_rate"), .double(0.01))
        XCTAssertEqual(value(config, "seed_everything"), .int(7))
        XCTAssertEqual(value(config, "ckpt_path"), .string("last"))
        XCTAssertEqual(value(try resolved(["--model.hidden_sizes", "[256, 128, 64]"]), "model.init_args.hidden_sizes"),
                       .list([.int(256), .int(128), .int(64)]))
        XCTAssertEqual(value(try resolved(["--model.init_args.dropout", "0.2"]), "model.init_args.dropout"), .double(0.2))
    }

    func testChoosingAnotherClassKeepsTheOptionsItShares() throws {
        let config = try resolved(["--data.batch_size", "16", "--data.flat", "false", "--data", "synthetic"])
        XCTAssertEqual(value(config, "data.class_path"), .string("synthetic"))
        XCTAssertEqual(value(config, "data.init_args.batch_size"), .int(16), "synthetic has batch_size too")
        XCTAssertNil(value(config, "data.init_args.flat"), "digits' flat is dropped")
        XCTAssertEqual(value(config, "data.init_args.samples"), .int(1024))
        XCTAssertEqual(value(try resolved(["--data", "synthetic", "--data.samples", "200"]), "data.init_args.samples"), .int(200))
        let file = scratch.write("data.yaml", text: "data:\n  class_path: synthetic\n  init_args:\n    features: 8\n")
        XCTAssertEqual(value(try resolved(["--config", file]), "data.init_args.features"), .int(8))
        XCTAssertEqual(value(try resolved(["--data", "{class_path: synthetic, init_args: {classes: 3}}"]), "data.init_args.classes"), .int(3))
    }

    func testCallbacksByNameAppendedAndConfigured() throws {
        let config = try resolved(["--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.monitor", "val_acc", "--trainer.callbacks.mode=max",
                                   "--trainer.callbacks+=lightning.pytorch.callbacks.LearningRateMonitor", "--trainer.callbacks+", "Timer"])
        guard case .list(let callbacks)? = value(config, "trainer.callbacks") else { return XCTFail("no callbacks") }
        XCTAssertEqual(callbacks.map { value($0, "class_path") }, [.string("EarlyStopping"), .string("LearningRateMonitor"), .string("TrainingTimer")])
        XCTAssertEqual(value(callbacks[0], "init_args.monitor"), .string("val_acc"))
        XCTAssertEqual(value(callbacks[0], "init_args.mode"), .string("max"))
        XCTAssertEqual(value(callbacks[0], "init_args.patience"), .int(3), "defaults filled in")

        let file = scratch.write("callbacks.yaml", text: """
            trainer:
              callbacks:
                - ModelCheckpoint
                - name: EarlyStopping
                  monitor: val_loss
                  patience: 5
                - class_path: ModelCheckpoint
                  init_args: {monitor: val_acc, mode: max, save_top_k: 2}
            """)
        guard case .list(let fromFile)? = value(try resolved(["--config", file]), "trainer.callbacks") else { return XCTFail("no callbacks") }
        XCTAssertEqual(fromFile.count, 3)
        XCTAssertEqual(value(fromFile[1], "init_args.patience"), .int(5))
        XCTAssertEqual(value(fromFile[2], "init_args.save_top_k"), .int(2))
        XCTAssertEqual(value(try resolved(["--config", file, "--trainer.callbacks", "[]"]), "trainer.callbacks"), .list([]), "a list replaces the list")
    }

    func testLoggerByNameOffOrConfigured() throws {
        XCTAssertEqual(value(try resolved(["--trainer.logger", "false"]), "trainer.logger"), .bool(false))
        let tensorboard = try resolved(["--trainer.logger", "tensorboard", "--trainer.logger.name", "runs"])
        XCTAssertEqual(value(tensorboard, "trainer.logger.class_path"), .string("tensorboard"))
        XCTAssertEqual(value(tensorboard, "trainer.logger.init_args.name"), .string("runs"))
        XCTAssertEqual(value(try resolved(["--trainer.logger.version", "3"]), "trainer.logger.class_path"), .string("csv"),
                       "options of the default logger")
        let both = try resolved(["--trainer.logger", "[csv, TensorBoardLogger]"])
        guard case .list(let loggers)? = value(both, "trainer.logger") else { return XCTFail("expected two loggers") }
        XCTAssertEqual(loggers.map { value($0, "class_path") }, [.string("csv"), .string("tensorboard")])
    }

    func testLightningYAMLSpellingsRead() throws {
        let file = scratch.write("lightning.yaml", text: """
            # as LightningCLI writes them
            seed_everything: 123
            trainer:
              accelerator: cpu
              devices: auto
              num_nodes: 1
              precision: 32-true
              logger: true
              max_epochs: 3
              limit_val_batches: 1.0
              gradient_clip_val: null
              callbacks:
              - class_path: lightning.pytorch.callbacks.EarlyStopping
                init_args:
                  monitor: val_loss
            model:
              class_path: cnn
              init_args:
                channels: [8]
            ckpt_path: null
            """)
        let config = try resolved(["--config", file])
        XCTAssertEqual(value(config, "seed_everything"), .int(123))
        XCTAssertEqual(value(config, "trainer.accelerator"), .string("cpu"))
        XCTAssertEqual(value(config, "model.init_args.channels"), .list([.int(8)]))
    }
}
