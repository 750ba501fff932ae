import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// EarlyStopping prints why it stopped only when `verbose`, as Lightning's does; the reason is
/// kept in `stoppingReason` either way.
final class EarlyStoppingVerbosityTests: XCTestCase {
    func run(verbose: Bool) throws -> (EarlyStopping, [String]) {
        // minDelta larger than any improvement: patience 1 stops after the second validation.
        let stopper = EarlyStopping(monitor: "val_loss", minDelta: 10, patience: 1, verbose: verbose)
        let loaders = ScenarioData.loaders(FitScenario(trainCount: 16, trainBatch: 4, valCount: 8, valBatch: 4, maxEpochs: 5,
                                                       logEveryNSteps: 1, sanitySteps: 0))
        let trainer = Trainer(maxEpochs: 5, numSanityValSteps: 0, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, callbacks: [stopper], logger: false)
        let messages = LineRecorder()
        try messages.capturingTrainerLog { try trainer.fit(RecordingClassifier(), trainDataloaders: loaders.train, valDataloaders: loaders.val) }
        XCTAssertLessThan(trainer.currentEpoch, 5, "the stopper ended the run early")
        return (stopper, messages.lines)
    }

    func testTheStopIsPrintedOnlyWhenVerbose() throws {
        let (quiet, quietLines) = try run(verbose: false)
        let reason = try XCTUnwrap(quiet.stoppingReason)
        XCTAssertFalse(quietLines.contains { $0.contains(reason) }, "\(quietLines)")

        let (loud, loudLines) = try run(verbose: true)
        let loudReason = try XCTUnwrap(loud.stoppingReason)
        XCTAssertTrue(loudLines.contains { $0.contains(loudReason) }, "\(loudLines)")
    }
}
