import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// The module's optimization hooks (Lightning's `optimizer_step`, `lr_scheduler_step` and
/// `configure_gradient_clipping`): called where Lightning calls them, with its arguments; an
/// override changes what the Trainer does, the defaults change nothing.
final class OptimizationHooksTests: XCTestCase {
    /// A classifier whose hooks can be replaced per test.
    final class Hooked: LightningModule {
        let net = Sequential(Linear(4, 8), ReLU(), Linear(8, 3))
        var onOptimizerStep: ((Hooked, Int, Int, any Optimizer, () throws -> Void) throws -> Void)?
        var onClipping: ((Hooked, any Optimizer, Double?, GradientClipAlgorithm?) throws -> Void)?
        var onSchedulerStep: ((any LearningRateScheduler, Double?) throws -> Void)?
        var scheduler: ((any Optimizer) -> LRSchedulerConfig)?
        var trainingSteps: [Int] = []

        func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
            trainingSteps.append(batchIndex)
            let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
            log("train_loss", loss)
            return loss
        }
        func configureOptimizers() -> OptimizerConfig {
            let sgd = SGD(parameters(), lr: 0.1)
            return .init(sgd, scheduler: scheduler?(sgd))
        }
        func optimizerStep(epoch: Int, batchIndex: Int, optimizer: any Optimizer, closure: () throws -> Void) throws {
            guard let onOptimizerStep else { return try optimizer.step(closure: closure) }
            try onOptimizerStep(self, epoch, batchIndex, optimizer, closure)
        }
        func configureGradientClipping(optimizer: any Optimizer, gradientClipVal: Double?, gradientClipAlgorithm: GradientClipAlgorithm?) throws {
            guard let onClipping else {
                return try clipGradients(optimizer, gradientClipVal: gradientClipVal, gradientClipAlgorithm: gradientClipAlgorithm)
            }
            try onClipping(self, optimizer, gradientClipVal, gradientClipAlgorithm)
        }
        func lrSchedulerStep(scheduler: any LearningRateScheduler, metric: Double?) throws {
            guard let onSchedulerStep else {
                if let plateau = scheduler as? ReduceLROnPlateau, let metric { return plateau.step(metric: metric) }
                return (scheduler as! LRScheduler).step()
            }
            try onSchedulerStep(scheduler, metric)
        }
    }

    /// 7 batches per epoch.
    static let samples = 28, batchSize = 4

    @discardableResult
    func fit(_ model: Hooked, epochs: Int = 2, accumulate: Int = 1, clip: Double? = nil, algorithm: GradientClipAlgorithm = .norm,
             callbacks: [any Callback] = []) throws -> Trainer {
        seedEverything(11)
        let trainer = Trainer(maxEpochs: epochs, numSanityValSteps: 0, accumulateGradBatches: accumulate, gradientClipVal: clip,
                              gradientClipAlgorithm: algorithm, enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: makeTemporaryDirectory().path, callbacks: callbacks, logger: false)
        try trainer.fit(model, trainDataloaders: DataLoader(ScenarioData.dataset(count: Self.samples, seed: 1), batchSize: Self.batchSize, shuffle: true))
        return trainer
    }

    func weights(_ model: Hooked) -> [String: [Float]] { model.stateDict().mapValues(\.scalars) }

    /// A model with the same initial weights as every other `fresh()`.
    func fresh() -> Hooked {
        seedEverything(7)
        return Hooked()
    }

    func testTheDefaultsTrainAsBefore() throws {
        // Overrides that only call what the defaults call give the same weights bit for bit.
        let plain = fresh()
        try fit(plain, clip: 0.5)
        let passing = fresh()
        passing.onOptimizerStep = { _, _, _, optimizer, closure in try optimizer.step(closure: closure) }
        passing.onClipping = { module, optimizer, value, algorithm in try module.clipGradients(optimizer, gradientClipVal: value, gradientClipAlgorithm: algorithm) }
        try fit(passing, clip: 0.5)
        XCTAssertEqual(weights(passing), weights(plain))
    }

    func testOptimizerStepRunsAtWindowEndsWithALinearWarmUp() throws {
        let batches = (Self.samples + Self.batchSize - 1) / Self.batchSize
        for accumulate in [1, 3] {
            let model = fresh()
            let warmUp = 5, baseRate = 0.1
            var calls: [(epoch: Int, batch: Int)] = []
            var rates: [Double] = []
            model.onOptimizerStep = { module, epoch, batchIndex, optimizer, closure in
                calls.append((epoch, batchIndex))
                let scale = min(1, Double(module.globalStep + 1) / Double(warmUp))
                optimizer.learningRates = optimizer.learningRates.map { _ in baseRate * scale }
                rates.append(optimizer.learningRates[0])
                try optimizer.step(closure: closure)
            }
            let epochs = 2
            let trainer = try fit(model, epochs: epochs, accumulate: accumulate)
            // The last batch of each window, and the epoch's last batch, step.
            let stepping = (0..<batches).filter { ($0 + 1) % accumulate == 0 || $0 == batches - 1 }
            XCTAssertEqual(calls.map(\.batch), Array(Array(repeating: stepping, count: epochs).joined()), "accumulate \(accumulate)")
            XCTAssertEqual(calls.map(\.epoch), (0..<epochs).flatMap { Array(repeating: $0, count: stepping.count) })
            XCTAssertEqual(trainer.globalStep, calls.count)
            XCTAssertEqual(rates, (0..<calls.count).map { baseRate * min(1, Double($0 + 1) / Double(warmUp)) })
            XCTAssertEqual(model.trainingSteps.count, batches * epochs, "every batch's step ran, inside the closure or alone")
        }
    }

    func testTheClosureRunsTheStepBeforeTheUpdate() throws {
        // The closure runs trainingStep and backward: calling it first gives the defaults' weights.
        let plain = fresh()
        try fit(plain)
        let split = fresh()
        split.onOptimizerStep = { module, _, batchIndex, optimizer, closure in
            let before = module.trainingSteps.count
            try closure()
            XCTAssertEqual(module.trainingSteps.count, before + 1)
            XCTAssertEqual(module.trainingSteps.last, batchIndex)
            optimizer.step()
        }
        try fit(split)
        XCTAssertEqual(weights(split), weights(plain))
    }

    func testAnOptimizerStepThatSkipsTheClosureIsAnError() throws {
        let model = fresh()
        model.onOptimizerStep = { _, _, _, optimizer, _ in optimizer.step() }
        XCTAssertThrowsError(try fit(model)) { error in
            XCTAssertTrue("\(error)".contains("optimizerStep returned without running its closure"), "\(error)")
        }
    }

    func testLRSchedulerStepStepsACustomSchedulerAndGetsThePlateauMetric() throws {
        /// Halves the rate when told to, and is no LRScheduler.
        final class Halving: LearningRateScheduler {
            let optimizer: any Optimizer
            init(_ optimizer: any Optimizer) { self.optimizer = optimizer }
            var lastLR: [Double] { optimizer.learningRates }
            func halve() { optimizer.learningRates = optimizer.learningRates.map { $0 / 2 } }
            func stateDict() -> LRSchedulerState {
                LRSchedulerState(scheduler: "Halving", lastEpoch: 0, stepCount: 0, baseLRs: lastLR, lastLR: lastLR, values: [:])
            }
            func loadStateDict(_ state: LRSchedulerState) throws {}
        }
        let epochs = 3
        let model = fresh()
        var steps: [(Double?, Int)] = []
        model.scheduler = { .init(Halving($0), interval: .epoch) }
        model.onSchedulerStep = { scheduler, metric in
            steps.append((metric, model.currentEpoch))
            (scheduler as? Halving)?.halve()
        }
        let trainer = try fit(model, epochs: epochs)
        XCTAssertEqual(steps.map(\.1), Array(0..<epochs), "once per epoch")
        XCTAssertTrue(steps.allSatisfy { $0.0 == nil }, "no metric for a scheduler that is no ReduceLROnPlateau")
        XCTAssertEqual(trainer.optimizers[0].learningRates[0], 0.1 / pow(2, Double(epochs)), accuracy: 1e-15)

        // ReduceLROnPlateau gets its monitored value.
        let plateau = fresh()
        var metrics: [Double?] = []
        plateau.scheduler = { .init(ReduceLROnPlateau($0, patience: 0), interval: .epoch, monitor: "train_loss") }
        plateau.onSchedulerStep = { scheduler, metric in
            metrics.append(metric)
            (scheduler as! ReduceLROnPlateau).step(metric: metric!)
        }
        let plateauTrainer = try fit(plateau, epochs: 2)
        XCTAssertEqual(metrics.count, 2)
        XCTAssertEqual(metrics.last ?? nil, plateauTrainer.callbackMetrics["train_loss"])
    }

    func testConfigureGradientClippingGetsTheTrainersSettingsAfterBackward() throws {
        let model = fresh()
        var received: [(Double?, GradientClipAlgorithm?)] = []
        var norms: [Float] = []
        model.onClipping = { module, optimizer, value, algorithm in
            received.append((value, algorithm))
            // Clip at half the Trainer's value: the module decides.
            try module.clipGradients(optimizer, gradientClipVal: nil, gradientClipAlgorithm: nil)
            clipGradNorm(optimizer.parameters, maxNorm: (value ?? 1) / 2)
            norms.append(optimizer.parameters.compactMap(\.grad).reduce(Float(0)) { total, g in total + g.scalars.reduce(0) { $0 + $1 * $1 } }.squareRoot())
        }
        let trainer = try fit(model, epochs: 1, clip: 0.2, algorithm: .norm)
        XCTAssertEqual(received.count, trainer.globalStep)
        XCTAssertTrue(received.allSatisfy { $0.0 == 0.2 && $0.1 == .norm })
        for norm in norms { XCTAssertLessThanOrEqual(norm, 0.1 + 1e-5) }
    }

    func testClipGradientsRefusesValuesThatContradictTheTrainers() throws {
        let model = fresh()
        model.onClipping = { module, optimizer, _, _ in try module.clipGradients(optimizer, gradientClipVal: 0.3) }
        XCTAssertThrowsError(try fit(model, epochs: 1, clip: 0.2)) { error in
            XCTAssertTrue("\(error)".contains("you have set Trainer(gradientClipVal: 0.2) and passed clipGradients(gradientClipVal: 0.3)"), "\(error)")
        }
        let algorithm = fresh()
        algorithm.onClipping = { module, optimizer, _, _ in try module.clipGradients(optimizer, gradientClipAlgorithm: .value) }
        XCTAssertThrowsError(try fit(algorithm, epochs: 1, clip: 0.2)) { error in
            XCTAssertTrue("\(error)".contains("gradientClipAlgorithm: .norm) and passed clipGradients(gradientClipAlgorithm: .value)"), "\(error)")
        }
        // Without a Trainer value, the module's own clipping is free.
        let own = fresh()
        own.onClipping = { module, optimizer, value, _ in
            XCTAssertNil(value)
            try module.clipGradients(optimizer, gradientClipVal: 0.3, gradientClipAlgorithm: .value)
            XCTAssertTrue(optimizer.parameters.compactMap(\.grad).allSatisfy { $0.scalars.allSatisfy { abs($0) <= 0.3 } })
        }
        try fit(own, epochs: 1)
    }
}
