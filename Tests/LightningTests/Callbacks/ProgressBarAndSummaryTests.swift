import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// ProgressBar (plain lines off a terminal, redrawn lines on one) and ModelSummary's table.
final class ProgressBarAndSummaryTests: XCTestCase {
    let loaders = ScenarioData.loaders(FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 2,
                                                   logEveryNSteps: 1, sanitySteps: 0))

    func fit(callbacks: [any Callback]) throws {
        let trainer = Trainer(maxEpochs: 2, numSanityValSteps: 0, enableCheckpointing: false, defaultRootDir: makeTemporaryDirectory().path,
                              callbacks: callbacks, logger: false)
        try trainer.fit(RecordingClassifier(), trainDataloaders: loaders.train, valDataloaders: loaders.val)
    }

    func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: pattern, options: .regularExpression) != nil
    }

    func testOffATerminalOnePlainLinePerEpoch() throws {
        let output = LineRecorder()
        try fit(callbacks: [ProgressBar(isTerminal: false, output: output.write), ModelSummary(output: { _ in })])
        XCTAssertEqual(output.lines.count, 2)
        for (epoch, line) in output.lines.enumerated() {
            let pattern = #"^Epoch \#(epoch): 7/7 \[\d\d:\d\d<00:00, [0-9.]+it/s, train_loss_epoch=[0-9.]+, train_loss_step=[0-9.]+, val_loss=[0-9.]+\]\n$"#
            XCTAssertTrue(matches(line, pattern), line)
        }
    }

    /// With stderr not a terminal (a log file, a batch job, the pipes a launcher gives its ranks) the default bar draws
    /// nothing, as the README says.
    func testTheDefaultBarIsSilentWhenStandardErrorIsNotATerminal() throws {
        try XCTSkipIf(isatty(STDERR_FILENO) != 0, "standard error is a terminal here; the bar would draw")
        let output = LineRecorder()
        try fit(callbacks: [ProgressBar(output: output.write), ModelSummary(output: { _ in })])
        XCTAssertEqual(output.lines, [])
    }

    func testOnATerminalEachBatchRedrawsTheLine() throws {
        let output = LineRecorder()
        try fit(callbacks: [ProgressBar(isTerminal: true, output: output.write), ModelSummary(output: { _ in })])
        let lines = output.lines
        XCTAssertEqual(lines.count, 2 * (7 + 1), "a redraw per batch and the finished line per epoch")
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("\r") && $0.contains("it/s") })
        XCTAssertEqual(lines.prefix(7).map { $0.split(separator: " ")[2] }, (1...7).map { "\($0)/7" })
        XCTAssertTrue(lines[7].hasSuffix("\u{1B}[K\n") && lines[7].contains("Epoch 0: 7/7"), lines[7])
        // From the second batch on the line shows the progress-bar metrics; the second epoch also the first's val_loss.
        XCTAssertTrue(lines[1].contains("train_loss_step="), lines[1])
        XCTAssertTrue(lines[8].contains("val_loss="), lines[8])
        XCTAssertTrue(lines.filter { !$0.hasSuffix("\n") }.allSatisfy { $0.hasSuffix("\u{1B}[K") })
    }

    func testModelSummaryTableNamesTheLayersAndCountsTheirParameters() throws {
        let output = LineRecorder()
        try fit(callbacks: [ProgressBar(isTerminal: false, output: { _ in }), ModelSummary(output: output.write)])
        XCTAssertEqual(output.lines.count, 1)
        let lines = output.lines[0].split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "  | Name | Type       | Params | Mode ")
        XCTAssertEqual(lines[2], "0 | net  | Sequential | 67     | train")
        XCTAssertEqual(Array(lines.suffix(4)), ["67        Trainable params", "0         Non-trainable params", "67        Total params",
                                                "0.000     Total estimated model params size (MB)"])

        let gan = LineRecorder()
        let trainer = Trainer(maxEpochs: 1, enableCheckpointing: false, defaultRootDir: makeTemporaryDirectory().path,
                              callbacks: [ProgressBar(isTerminal: false, output: { _ in }), ModelSummary(output: gan.write)], logger: false)
        try trainer.fit(TinyGAN(), trainDataloaders: loaders.train)
        let rows = gan.lines[0].split(separator: "\n").map(String.init)
        XCTAssertEqual(rows[2], "0 | generator     | Sequential | 76     | train")
        XCTAssertEqual(rows[3], "1 | discriminator | Sequential | 49     | train")
        XCTAssertEqual(rows.last(where: { $0.hasSuffix("Total params") }), "125       Total params")
    }
}
