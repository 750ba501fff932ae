import Foundation
import Lightning
import LightningTestSupport
import XCTest

/// Records the learning rate in effect at every training batch, by epoch.
final class LearningRateRecorder: Callback {
    var byEpoch: [[Double]] = []
    func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws { byEpoch.append([]) }
    func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
        byEpoch[byEpoch.count - 1].append(trainer.optimizers[0].learningRates[0])
    }
    var all: [Double] { byEpoch.flatMap { $0 } }
}

/// Logs a metric that never changes, from a callback at each training epoch's end.
final class FlatMetric: Callback {
    func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws { module.log("flat", 1.0) }
}

/// The forms of `configureOptimizers`' schedulers: per step with a frequency, per epoch, and
/// ReduceLROnPlateau driven by a monitored metric.
final class LRSchedulerConfigTests: XCTestCase {
    /// 7 batches per epoch.
    let scenario = FitScenario(trainCount: 28, trainBatch: 4, valCount: 10, valBatch: 5, maxEpochs: 2, logEveryNSteps: 1, sanitySteps: 0)

    func fit(_ scheduler: @escaping (Optimizer) -> LRSchedulerConfig, epochs: Int, accumulate: Int = 1,
             callbacks: [any Callback] = []) throws -> (LearningRateRecorder, Trainer) {
        let model = RecordingClassifier(lr: 0.1)
        model.scheduler = scheduler
        let recorder = LearningRateRecorder()
        let (train, val) = ScenarioData.loaders(scenario)
        let trainer = Trainer(maxEpochs: epochs, accumulateGradBatches: accumulate, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, defaultRootDir: makeTemporaryDirectory().path, callbacks: [recorder] + callbacks, logger: false)
        try trainer.fit(model, trainDataloaders: train, valDataloaders: val)
        return (recorder, trainer)
    }

    func testStepIntervalWithFrequencyCountsOptimizerStepsAcrossEpochs() throws {
        let (recorder, _) = try fit({ .init(StepLR($0, stepSize: 1, gamma: 0.5), interval: .step, frequency: 3) }, epochs: 2)
        // Halved after optimizer steps 3, 6, 9 and 12.
        XCTAssertEqual(recorder.all, (0..<14).map { 0.1 * pow(0.5, Double($0 / 3)) })

        // With 2 batches per optimizer step (the epoch's last batch steps alone): steps 1…4 in each epoch.
        let (accumulated, trainer) = try fit({ .init(StepLR($0, stepSize: 1, gamma: 0.5), interval: .step, frequency: 2) }, epochs: 2, accumulate: 2)
        XCTAssertEqual(trainer.globalStep, 8)
        let stepsBefore = [0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6, 7]
        XCTAssertEqual(accumulated.all, stepsBefore.map { 0.1 * pow(0.5, Double($0 / 2)) })
    }

    func testEpochIntervalWithFrequency() throws {
        let (every, _) = try fit({ .init(ExponentialLR($0, gamma: 0.5)) }, epochs: 3)
        XCTAssertEqual(every.byEpoch, [0.1, 0.05, 0.025].map { Array(repeating: $0, count: 7) })
        let (second, _) = try fit({ .init(ExponentialLR($0, gamma: 0.5), interval: .epoch, frequency: 2) }, epochs: 5)
        XCTAssertEqual(second.byEpoch.map { $0[0] }, [0.1, 0.1, 0.05, 0.05, 0.025])
    }

    func testReduceLROnPlateauFollowsItsMonitoredMetric() throws {
        let plateau = { (optimizer: Optimizer) in
            LRSchedulerConfig(ReduceLROnPlateau(optimizer, factor: 0.5, patience: 1), interval: .epoch, monitor: "flat")
        }
        let (recorder, _) = try fit(plateau, epochs: 5, callbacks: [FlatMetric()])
        // Epoch 0 sets the best; epochs 1 and 2 do not improve, so the rate halves after epoch 2, then after epoch 4.
        XCTAssertEqual(recorder.byEpoch.map { $0[0] }, [0.1, 0.1, 0.1, 0.05, 0.05])

        // val_loss falls every epoch here, so the rate never drops.
        let (falling, trainer) = try fit({ .init(ReduceLROnPlateau($0, factor: 0.5, patience: 0), monitor: "val_loss") }, epochs: 3)
        XCTAssertEqual(falling.byEpoch.map { $0[0] }, [0.1, 0.1, 0.1])
        XCTAssertEqual(trainer.optimizers[0].learningRates, [0.1])
    }

    func testReduceLROnPlateauWithoutAMonitorOrWithAnUnloggedOneIsAClearError() throws {
        XCTAssertThrowsError(try fit({ .init(ReduceLROnPlateau($0)) }, epochs: 1)) { error in
            XCTAssertEqual("\(error)", "configureOptimizers: ReduceLROnPlateau needs LRSchedulerConfig(monitor:) naming the metric it is driven by")
        }
        XCTAssertThrowsError(try fit({ .init(ReduceLROnPlateau($0), monitor: "val_los") }, epochs: 1)) { error in
            XCTAssertEqual("\(error)", "ReduceLROnPlateau (LRSchedulerConfig.monitor) monitors 'val_los', which was not logged; "
                           + "available metrics: train_loss, train_loss_epoch, train_loss_step, val_acc, val_loss")
        }
        // strict: false skips the update with a warning.
        let warnings = LineRecorder()
        let (recorder, _) = try warnings.capturingTrainerLog {
            try fit({ .init(ReduceLROnPlateau($0, factor: 0.5, patience: 0), monitor: "never_logged", strict: false) }, epochs: 3)
        }
        XCTAssertEqual(recorder.byEpoch.map { $0[0] }, [0.1, 0.1, 0.1])
        XCTAssertEqual(warnings.lines.filter { $0.hasPrefix("warning") },
                       ["warning: ReduceLROnPlateau monitors 'never_logged', which is not available, and strict is false: skipping the learning rate update\n"])
    }

    func testSchedulersTheTrainerCannotStepOrThatDriveAnotherOptimizerAreErrors() throws {
        final class HandTurned: LearningRateScheduler {
            var lastLR: [Double] = [0.1]
            func stateDict() -> LRSchedulerState {
                LRSchedulerState(scheduler: "HandTurned", lastEpoch: 0, stepCount: 0, baseLRs: lastLR, lastLR: lastLR, values: [:])
            }
            func loadStateDict(_ state: LRSchedulerState) throws {}
        }
        XCTAssertThrowsError(try fit({ _ in .init(HandTurned()) }, epochs: 1)) { error in
            // Only the module's lrSchedulerStep could step it (Lightning's rule); the default says so when it is due.
            XCTAssertEqual("\(error)", "RecordingClassifier: the Trainer cannot step HandTurned; conform it to LRScheduler, whose step() the Trainer "
                           + "calls at each interval, or implement lrSchedulerStep(scheduler:metric:) to step it")
        }
        let stray = SGD(Linear(2, 2).parameters(), lr: 0.1)
        XCTAssertThrowsError(try fit({ _ in .init(StepLR(stray, stepSize: 1)) }, epochs: 1)) { error in
            XCTAssertEqual("\(error)", "configureOptimizers: a StepLR drives an optimizer that configureOptimizers did not return")
        }
    }
}
