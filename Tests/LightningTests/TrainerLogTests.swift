import Foundation
import Lightning
import Logging
import XCTest

/// The Trainer's own messages: plain lines through swift-log, `[rank N]` once there are several processes.
final class TrainerLogTests: XCTestCase {
    func logger(rank: Int, worldSize: Int, into recorder: LineRecorder) -> Logger {
        var logger = Logger(label: "swift-lightning") { TrainerLogHandler(label: $0, write: { recorder.write($0) }) }
        logger[metadataKey: "rank"] = "\(rank)"
        logger[metadataKey: "world_size"] = "\(worldSize)"
        return logger
    }

    func testLinesArePlainAndPrefixedWithTheRankOnlyInMultiProcessRuns() {
        let single = LineRecorder()
        let one = logger(rank: 0, worldSize: 1, into: single)
        one.info("Epoch 0 done")
        one.warning("val_loss was not logged")
        one.error("stopping", metadata: ["extra": "hidden"])
        one.debug("not shown at the default level")
        XCTAssertEqual(single.lines, ["Epoch 0 done\n", "warning: val_loss was not logged\n", "error: stopping\n"])

        let several = LineRecorder()
        let rankOne = logger(rank: 1, worldSize: 4, into: several)
        rankOne.info("ready")
        rankOne.warning("slow collective")
        XCTAssertEqual(several.lines, ["[rank 1] ready\n", "[rank 1] warning: slow collective\n"])
    }

    func testTrainerMessagesGoToTheConfiguredHandlerWithoutBootstrappingTheLoggingSystem() {
        let recorder = LineRecorder()
        recorder.capturingTrainerLog {
            RecordingClassifier().log("trainer_log_test_key", 1.0)
        }
        XCTAssertEqual(recorder.lines, ["warning: log(\"trainer_log_test_key\") was called outside a Trainer run; the value is ignored\n"])
        // The process-wide system is untouched: a plain Logger still gets swift-log's default handler.
        XCTAssertTrue(Logger(label: "app").handler is StreamLogHandler)
    }
}
