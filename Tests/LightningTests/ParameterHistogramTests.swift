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

    func testHistogramsMatchTheWeightsAndGradientsAtEveryNthStep() throws {
        let directory = makeTemporaryDirectory()
        let every = 4
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
        let histograms = try EventFileHistograms(path: "\(logDir)/\(file)")

        let dueSteps = recorder.steps.keys.filter { $0 % every == 0 }.sorted()
        XCTAssertEqual(recorder.steps.count, (scenario.trainCount / scenario.trainBatch) * scenario.maxEpochs)
        let names = model.namedParameters().map(\.name)
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
