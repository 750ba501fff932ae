import Lightning
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `trainer.strategy` as LightningCLI reads it: a name (`auto`, `ddp`, `single_device`) or a
/// component whose `init_args` reach the strategy the Trainer gets.
final class StrategyConfigTests: XCTestCase {
    private var scratch: TemporaryDirectory!

    override func setUp() { scratch = TemporaryDirectory(prefix: "cli-strategy") }
    override func tearDown() { scratch.remove() }

    /// The Trainer the resolved configuration builds.
    private func trainer(_ config: ConfigValue) throws -> Trainer { try builtTrainer(config) }

    func testAutoIsTheDefaultAndLeavesTheChoiceToTheLauncher() throws {
        let config = try resolved([])
        XCTAssertEqual(value(config, "trainer.strategy.class_path"), .string("auto"))
        XCTAssertEqual(value(config, "trainer.strategy.init_args"), .mapping(ConfigMapping()))
        XCTAssertTrue(try trainer(config).strategy is SingleDeviceStrategy, "no launcher started this process")
    }

    func testLightningsDDPStrategyComponentReachesTheStrategy() throws {
        let file = scratch.write("ddp.yaml", text: """
            trainer:
              strategy:
                class_path: lightning.pytorch.strategies.DDPStrategy
                init_args:
                  bucket_cap_mb: 4
                  find_unused_parameters: true
            """)
        let config = try resolved(["--config", file])
        XCTAssertEqual(value(config, "trainer.strategy.class_path"), .string("ddp"))
        XCTAssertEqual(value(config, "trainer.strategy.init_args.bucket_cap_mb"), .double(4))
        XCTAssertEqual(value(config, "trainer.strategy.init_args.shared_memory"), .bool(true), "defaults fill the rest")
        let strategy = try XCTUnwrap(try trainer(config).strategy as? DataParallelStrategy)
        XCTAssertEqual(strategy.bucketCapBytes, 4 * 1_048_576)
        XCTAssertTrue(strategy.sharedMemory)
        XCTAssertFalse(strategy.overlapWithBackward)
        XCTAssertEqual(strategy.worldSize, 1, "ddp without a launcher is one process")
    }

    func testFlagsChooseAndConfigureTheStrategy() throws {
        let config = try resolved(["--trainer.strategy", "ddp", "--trainer.strategy.shared_memory", "false",
                                   "--trainer.strategy.overlap_with_backward=true", "--trainer.strategy.bucket_cap_mb", "0.5"])
        let strategy = try XCTUnwrap(try trainer(config).strategy as? DataParallelStrategy)
        XCTAssertEqual(strategy.bucketCapBytes, 524_288)
        XCTAssertFalse(strategy.sharedMemory)
        XCTAssertTrue(strategy.overlapWithBackward)
        XCTAssertTrue(try trainer(try resolved(["--trainer.strategy", "SingleDeviceStrategy"])).strategy is SingleDeviceStrategy)
        XCTAssertEqual(value(try resolved(["--trainer.strategy", "ddp_find_unused_parameters_true"]), "trainer.strategy.class_path"), .string("ddp"))
    }

    func testPrintedConfigurationGivesTheSameStrategy() throws {
        let config = try resolved(["--trainer.strategy", "ddp", "--trainer.strategy.bucket_cap_mb", "2"])
        let file = scratch.write("printed.yaml", text: config.yamlText)
        XCTAssertEqual(try resolved(["--config", file]), config)
    }

    func testStrategyMistakesNameTheKeyAndTheChoices() {
        assertConfigError(["--trainer.strategy", "dp"], contains: ["trainer.strategy", "did you mean 'ddp'", "choices: auto, ddp, single_device"])
        assertConfigError(["--trainer.strategy.bucket_cap_mb", "4"],
                          contains: ["trainer.strategy.init_args.bucket_cap_mb", "'auto' has no option 'bucket_cap_mb'", "--trainer.strategy ddp"])
        assertConfigError(["--trainer.strategy", "ddp", "--trainer.strategy.bucket_cap_mb", "0"],
                          contains: ["trainer.strategy.init_args.bucket_cap_mb", "> 0", "got 0"])
        assertConfigError(["--trainer.strategy", "ddp", "--trainer.strategy.bucket_cap", "4"], contains: ["did you mean 'bucket_cap_mb'"])
    }
}
