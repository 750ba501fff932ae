import Foundation
import Lightning
import LightningTestSupport
import XCTest
@testable import TensorBoardEvents

/// TensorBoardLogger(logHistogramsEveryNSteps:) records every parameter and gradient just before
/// the optimizer steps, at every n-th step.
final class ParameterHistogramTests: XCTestCase {
    /// What each parameter and gradient held when the optimizer was about to step.
    private final class StepRecorder: Callback {
        struct Stats: Equatable {
            let count: Int
            let min: Float
            let max: Float
        }
        /// Step → tag (`weights/…`, `gradients/…`) → its values' statistics.
        var steps: [Int: [String: Stats]] = [:]

        func onBeforeOptimizerStep(trainer: Trainer, module: LightningModuleBase, optimizer: any Optimizer) throws {
            var tags: [String: Stats] = [:]
            for (name, parameter) in module.namedParameters() {
                let weights = parameter.value.scalars
                tags["weights/\(name)"] = Stats(count: weights.count, min: weights.min()!, max: weights.max()!)
                if let gradient = parameter.grad?.scalars {
                    tags["gradients/\(name)"] = Stats(count: gradient.count, min: gradient.min()!, max: gradient.max()!)
                }
            }
            steps[trainer.globalStep] = tags
        }
    }

    /// A two-epoch fit logging histograms every `every` steps: its event file and what the
    /// recorder saw before each step.
    private func fitWithHistograms(every: Int) throws -> (eventFile: String, recorder: StepRecorder, names: [String], steps: Int) {
        let directory = makeTemporaryDirectory()
        let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 2, logEveryNSteps: 1, sanitySteps: 0)
        let (train, val) = ScenarioData.loaders(scenario)
        let recorder = StepRecorder()
        let logger = TensorBoardLogger(saveDir: directory.path, logHistogramsEveryNSteps: every)
        let trainer = Trainer(maxEpochs: scenario.maxEpochs, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, callbacks: [recorder], logger: .logger(logger))
        let model = RecordingClassifier()
        try trainer.fit(model, trainDataloaders: train, valDataloaders: val)
        let logDir = try XCTUnwrap(logger.logDir)
        let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: logDir).first { $0.hasPrefix("events.out.tfevents.") })
        return ("\(logDir)/\(file)", recorder, model.namedParameters().map(\.name), (scenario.trainCount / scenario.trainBatch) * scenario.maxEpochs)
    }

    func testHistogramsMatchTheWeightsAndGradientsAtEveryNthStep() throws {
        let every = 4
        let (eventFile, recorder, names, steps) = try fitWithHistograms(every: every)
        let histograms = try EventFileHistograms(path: eventFile)
        XCTAssertEqual(recorder.steps.count, steps)
        let dueSteps = recorder.steps.keys.filter { $0 % every == 0 }.sorted()
        XCTAssertEqual(Set(histograms.byTag.keys), Set(names.flatMap { ["weights/\($0)", "gradients/\($0)"] }))
        for (tag, entries) in histograms.byTag {
            XCTAssertEqual(entries.map(\.step), dueSteps, tag)
            for entry in entries {
                let expected = try XCTUnwrap(recorder.steps[entry.step]?[tag], "\(tag) at \(entry.step)")
                let histogram = entry.histogram
                XCTAssertEqual(histogram.num, Double(expected.count), tag)
                XCTAssertEqual(histogram.min, Double(expected.min), tag)
                XCTAssertEqual(histogram.max, Double(expected.max), tag)
                XCTAssertEqual(histogram.bucket.reduce(0, +), histogram.num, "\(tag): every value in a bucket")
                XCTAssertEqual(histogram.bucket.count, histogram.bucketLimit.count, tag)
                XCTAssertEqual(histogram.bucketLimit.last, histogram.max, tag)
            }
        }
    }

    func testTensorBoardReadsTheHistogramsOfAFit() throws {
        let every = 3
        let (eventFile, recorder, names, _) = try fitWithHistograms(every: every)
        try skipUnlessPython(modules: ["tensorboard"])
        let script = """
            import sys
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            acc = EventAccumulator(sys.argv[1], size_guidance={"histograms": 0}); acc.Reload()
            for tag in sorted(acc.Tags()["histograms"]):
                for event in acc.Histograms(tag):
                    print(tag, event.step, int(event.histogram_value.num), event.histogram_value.min.hex(), event.histogram_value.max.hex())
            """
        let run = try runPython(script, [eventFile])
        XCTAssertTrue(run.succeeded, run.stderr)
        let dueSteps = recorder.steps.keys.filter { $0 % every == 0 }.sorted()
        var expected: [String] = []
        for tag in names.flatMap({ ["weights/\($0)", "gradients/\($0)"] }).sorted() {
            for step in dueSteps {
                let stats = try XCTUnwrap(recorder.steps[step]?[tag])
                expected.append("\(tag) \(step) \(stats.count) \(Self.hex(stats.min)) \(Self.hex(stats.max))")
            }
        }
        XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init), expected)
    }

    /// Python's `float.hex()` of `value` widened to a double (exact, unlike a decimal): all 13
    /// hexadecimal digits of the fraction.
    private static func hex(_ value: Float) -> String {
        let double = Double(value)
        if double == 0 { return double.sign == .minus ? "-0x0.0p+0" : "0x0.0p+0" }
        let exponent = double.exponent
        let mantissa = double.significandBitPattern
        var digits = String(mantissa, radix: 16)
        digits = String(repeating: "0", count: 13 - digits.count) + digits
        return (double < 0 ? "-" : "") + "0x1.\(digits)p" + (exponent >= 0 ? "+" : "") + "\(exponent)"
    }

    func testNoHistogramsByDefault() throws {
        let directory = makeTemporaryDirectory()
        let scenario = FitScenario(trainCount: 8, trainBatch: 4, valCount: 5, valBatch: 5, maxEpochs: 1, logEveryNSteps: 1, sanitySteps: 0)
        let (train, val) = ScenarioData.loaders(scenario)
        let logger = TensorBoardLogger(saveDir: directory.path)
        let trainer = Trainer(maxEpochs: 1, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: directory.path, logger: .logger(logger))
        try trainer.fit(RecordingClassifier(), trainDataloaders: train, valDataloaders: val)
        let logDir = try XCTUnwrap(logger.logDir)
        let file = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: logDir).first { $0.hasPrefix("events.out.tfevents.") })
        XCTAssertEqual(try EventFileHistograms(path: "\(logDir)/\(file)").byTag.count, 0)
    }
}
