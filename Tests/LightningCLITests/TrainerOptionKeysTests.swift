import Lightning
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// The Trainer options under Lightning's keys: `trainer.overfit_batches`,
/// `trainer.reload_dataloaders_every_n_epochs`, `trainer.use_distributed_sampler`,
/// `trainer.inference_mode` and `trainer.benchmark` — defaults, merging, the Trainer they build,
/// errors naming the key, help and `--print_config`.
final class TrainerOptionKeysTests: XCTestCase {
    private func trainer(_ config: ConfigValue) throws -> Trainer {
        let section = try XCTUnwrap(value(config, "trainer")?.mapping)
        return try TrainerBuilder(callbackFactories: [], loggerFactories: LoggerFactory.builtIn, strategyFactories: StrategyFactory.builtIn)
            .build(section, extraCallbacks: [])
    }

    func testDefaultsAreLightnings() throws {
        let config = try resolved([])
        XCTAssertEqual(value(config, "trainer.overfit_batches"), .double(0))
        XCTAssertEqual(value(config, "trainer.reload_dataloaders_every_n_epochs"), .int(0))
        XCTAssertEqual(value(config, "trainer.use_distributed_sampler"), .bool(true))
        XCTAssertEqual(value(config, "trainer.inference_mode"), .bool(true))
        XCTAssertEqual(value(config, "trainer.benchmark"), .null)
        let built = try trainer(config)
        XCTAssertEqual(built.overfitBatches, .fraction(0))
        XCTAssertEqual(built.reloadDataloadersEveryNEpochs, 0)
        XCTAssertTrue(built.useDistributedSampler)
        XCTAssertTrue(built.inferenceMode)
        XCTAssertNil(built.benchmark)
    }

    func testFlagsReachTheTrainer() throws {
        let config = try resolved(["--trainer.overfit_batches", "3", "--trainer.reload_dataloaders_every_n_epochs=2",
                                   "--trainer.use_distributed_sampler", "false", "--trainer.inference_mode", "false", "--trainer.benchmark", "true"])
        let built = try trainer(config)
        XCTAssertEqual(built.overfitBatches, .count(3))
        XCTAssertEqual(built.reloadDataloadersEveryNEpochs, 2)
        XCTAssertFalse(built.useDistributedSampler)
        XCTAssertFalse(built.inferenceMode)
        XCTAssertEqual(built.benchmark, true)
        XCTAssertEqual(try trainer(try resolved(["--trainer.overfit_batches", "0.25"])).overfitBatches, .fraction(0.25), "a float is a share")
    }

    func testAConfigFileSetsThemAndPrintConfigReadsBack() throws {
        let scratch = TemporaryDirectory(prefix: "cli-trainer-options")
        defer { scratch.remove() }
        let file = scratch.write("options.yaml", text: """
            trainer:
              overfit_batches: 0.5
              reload_dataloaders_every_n_epochs: 3
              use_distributed_sampler: false
              inference_mode: false
              benchmark: false
            """)
        let config = try resolved(["--config", file])
        let printed = config.yamlText
        for line in ["overfit_batches: 0.5", "reload_dataloaders_every_n_epochs: 3", "use_distributed_sampler: false",
                     "inference_mode: false", "benchmark: false"] {
            XCTAssertTrue(printed.contains(line), "\(line) not in\n\(printed)")
        }
        let reread = try resolved(["--config", scratch.write("printed.yaml", text: printed)])
        XCTAssertEqual(reread.yamlText, printed)
    }

    func testInvalidValuesNameTheKey() {
        assertConfigError(["--trainer.overfit_batches", "1.5"], contains: ["trainer.overfit_batches"])
        assertConfigError(["--trainer.overfit_batches", "-1"], contains: ["trainer.overfit_batches"])
        assertConfigError(["--trainer.reload_dataloaders_every_n_epochs", "-1"], contains: ["trainer.reload_dataloaders_every_n_epochs"])
        assertConfigError(["--trainer.use_distributed_sampler", "sometimes"], contains: ["trainer.use_distributed_sampler"])
        assertConfigError(["--trainer.inference_mod", "false"], contains: ["trainer.inference_mod", "did you mean 'inference_mode'"])
    }

    func testHelpListsThem() throws {
        let help = builtInCLI().helpText(for: .fit)
        for key in ["overfit_batches", "reload_dataloaders_every_n_epochs", "use_distributed_sampler", "inference_mode", "benchmark"] {
            XCTAssertTrue(help.contains("--trainer.\(key)"), "\(key) missing from help")
        }
    }
}
