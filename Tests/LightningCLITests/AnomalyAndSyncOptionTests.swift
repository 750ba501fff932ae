import Lightning
import LightningTestSupport
import XCTest
@testable import LightningCLI

/// `trainer.detect_anomaly` and `trainer.sync_batchnorm`, Lightning's keys, reach the Trainer.
final class AnomalyAndSyncOptionTests: XCTestCase {
    func testOffByDefault() throws {
        let config = try resolved([])
        XCTAssertEqual(value(config, "trainer.detect_anomaly"), .bool(false))
        XCTAssertEqual(value(config, "trainer.sync_batchnorm"), .bool(false))
        let trainer = try builtTrainer(config)
        XCTAssertFalse(trainer.detectAnomaly)
        XCTAssertFalse(trainer.syncBatchnorm)
    }

    func testFlagsAndLightningConfigFilesSetThem() throws {
        let flags = try builtTrainer(try resolved(["--trainer.detect_anomaly", "true", "--trainer.sync_batchnorm", "true"]))
        XCTAssertTrue(flags.detectAnomaly)
        XCTAssertTrue(flags.syncBatchnorm)
        let scratch = TemporaryDirectory(prefix: "cli-anomaly")
        defer { scratch.remove() }
        let file = scratch.write("lightning.yaml", text: """
            trainer:
              detect_anomaly: true
              sync_batchnorm: false
            """)
        let fromFile = try builtTrainer(try resolved(["--config", file]))
        XCTAssertTrue(fromFile.detectAnomaly)
        XCTAssertFalse(fromFile.syncBatchnorm)
    }

    func testANonBooleanIsAnErrorNamingTheKey() {
        assertConfigError(["--trainer.sync_batchnorm", "sometimes"], contains: ["trainer.sync_batchnorm"])
        assertConfigError(["--trainer.detect_anomaly", "3"], contains: ["trainer.detect_anomaly"])
    }
}
