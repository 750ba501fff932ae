import Foundation
import LightningTestSupport
import XCTest
@testable import LightningOptim

/// The LR schedulers against PyTorch (`schedulers.json`), and their state dicts.
final class SchedulerParityTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let base_lr: Double
            let params: [String: FixtureValue]
            let lr_before_each_step: [Double]
            let metrics: [Double]?
        }
        let schedulers: [Case]
    }

    /// A scheduler of either kind, stepped uniformly.
    enum AnyScheduler {
        case stepped(any LRScheduler)
        case plateau(ReduceLROnPlateau)

        var scheduler: any LearningRateScheduler {
            switch self {
            case .stepped(let s): return s
            case .plateau(let s): return s
            }
        }

        func step(_ index: Int, metrics: [Double]?) {
            switch self {
            case .stepped(let s): s.step()
            case .plateau(let s): s.step(metric: metrics![index])
            }
        }
    }

    /// Builds the scheduler a fixture case names, from PyTorch's argument names.
    func makeScheduler(_ c: Fixture.Case, _ optimizer: any Optimizer) throws -> AnyScheduler {
        let p = c.params
        func number(_ key: String) throws -> Double { try XCTUnwrap(p[key]?.double, "\(c.name): \(key)") }
        func int(_ key: String) throws -> Int { Int(try number(key)) }
        switch c.name {
        case "step":
            return .stepped(StepLR(optimizer, stepSize: try int("step_size"), gamma: try number("gamma")))
        case "multistep":
            let milestones = try XCTUnwrap(p["milestones"]?.doubles).map { Int($0) }
            return .stepped(MultiStepLR(optimizer, milestones: milestones, gamma: try number("gamma")))
        case "exponential":
            return .stepped(ExponentialLR(optimizer, gamma: try number("gamma")))
        case "cosine":
            return .stepped(CosineAnnealingLR(optimizer, tMax: try int("T_max"), etaMin: try number("eta_min")))
        case "linear":
            return .stepped(LinearLR(optimizer, startFactor: try number("start_factor"), endFactor: try number("end_factor"),
                                     totalIters: try int("total_iters")))
        case "onecycle":
            let strategy = try XCTUnwrap(OneCycleLR.AnnealStrategy(rawValue: try XCTUnwrap(p["anneal_strategy"]?.string)))
            return .stepped(OneCycleLR(optimizer, maxLR: try number("max_lr"), totalSteps: try int("total_steps"),
                                       pctStart: try number("pct_start"), annealStrategy: strategy,
                                       divFactor: try number("div_factor"), finalDivFactor: try number("final_div_factor")))
        case "cosine_warm_restarts":
            return .stepped(CosineAnnealingWarmRestarts(optimizer, t0: try int("T_0"), tMult: try int("T_mult"),
                                                        etaMin: try number("eta_min")))
        case "reduce_on_plateau":
            let mode = try XCTUnwrap(ReduceLROnPlateau.Mode(rawValue: try XCTUnwrap(p["mode"]?.string)))
            let thresholdMode = try XCTUnwrap(ReduceLROnPlateau.ThresholdMode(rawValue: try XCTUnwrap(p["threshold_mode"]?.string)))
            return .plateau(ReduceLROnPlateau(optimizer, mode: mode, factor: try number("factor"), patience: try int("patience"),
                                              threshold: try number("threshold"), thresholdMode: thresholdMode,
                                              cooldown: try int("cooldown"), minLR: try number("min_lr")))
        default:
            throw XCTSkip("unknown scheduler \(c.name)")
        }
    }

    /// SGD over one parameter with the case's base learning rate, as the fixture generator used.
    func makeOptimizer(_ c: Fixture.Case) -> SGD {
        SGD([Parameter(vec([1, 2]))], lr: c.base_lr)
    }

    func testEveryStepOfEveryCaseMatchesPyTorch() throws {
        let fixture = try loadFixture("schedulers", as: Fixture.self, bundle: .module)
        XCTAssertEqual(fixture.schedulers.count, 8)
        for c in fixture.schedulers {
            let optimizer = makeOptimizer(c)
            let scheduler = try makeScheduler(c, optimizer)
            var lrs: [Double] = []
            for i in c.lr_before_each_step.indices {
                lrs.append(optimizer.learningRates[0])
                optimizer.step()
                scheduler.step(i, metrics: c.metrics)
                XCTAssertEqual(scheduler.scheduler.lastLR, optimizer.learningRates, c.name)
            }
            assertClose(lrs, c.lr_before_each_step, rtol: 1e-12, atol: 0, c.name)
        }
    }

    /// Saving optimizer and scheduler mid-run (through JSON) and loading them into freshly built
    /// ones continues with exactly the same learning rates.
    func testRoundTripMidScheduleContinuesExactly() throws {
        let fixture = try loadFixture("schedulers", as: Fixture.self, bundle: .module)
        for c in fixture.schedulers {
            let optimizer = makeOptimizer(c)
            let scheduler = try makeScheduler(c, optimizer)
            var uninterrupted: [[Double]] = []
            var savedOptimizer: OptimizerState?
            var savedScheduler: Data?
            for i in c.lr_before_each_step.indices {
                if i == 6 {
                    savedOptimizer = optimizer.stateDict()
                    savedScheduler = try JSONEncoder().encode(scheduler.scheduler.stateDict())
                }
                if i >= 6 { uninterrupted.append(optimizer.learningRates + (optimizer.momenta ?? [])) }
                scheduler.step(i, metrics: c.metrics)
            }

            let freshOptimizer = makeOptimizer(c)
            let fresh = try makeScheduler(c, freshOptimizer)
            try freshOptimizer.loadStateDict(try XCTUnwrap(savedOptimizer))
            try fresh.scheduler.loadStateDict(JSONDecoder().decode(LRSchedulerState.self, from: try XCTUnwrap(savedScheduler)))
            for i in 6..<c.lr_before_each_step.count {
                XCTAssertEqual(freshOptimizer.learningRates + (freshOptimizer.momenta ?? []), uninterrupted[i - 6], "\(c.name) step \(i)")
                fresh.step(i, metrics: c.metrics)
            }
        }
    }

    func testSchedulersScaleEveryGroup() throws {
        let optimizer = try SGD(groups: [ParamGroup([Parameter(vec([1]))], lr: 0.1),
                                         ParamGroup([Parameter(vec([1]))], lr: 1.0)])
        let scheduler = StepLR(optimizer, stepSize: 2, gamma: 0.5)
        scheduler.step()
        scheduler.step()
        XCTAssertEqual(optimizer.learningRates, [0.05, 0.5])
        XCTAssertEqual(scheduler.lastLR, [0.05, 0.5])

        let warmup = LinearLR(optimizer, startFactor: 0.5, totalIters: 2)
        XCTAssertEqual(optimizer.learningRates, [0.025, 0.25])
        XCTAssertEqual(warmup.baseLRs, [0.05, 0.5])
    }

    /// OneCycleLR cycles Adam's β₁ opposite to the learning rate.
    func testOneCycleCyclesAdamBeta1() {
        let optimizer = Adam([Parameter(vec([1]))], lr: 0.1)
        let scheduler = OneCycleLR(optimizer, maxLR: 1, totalSteps: 10, pctStart: 0.5, annealStrategy: .linear)
        XCTAssertEqual(optimizer.learningRates[0], 0.04, accuracy: 1e-15)
        XCTAssertEqual(optimizer.paramGroups[0].beta1, 0.95, accuracy: 1e-15)
        for _ in 0..<4 { scheduler.step() }
        XCTAssertEqual(optimizer.learningRates[0], 1, accuracy: 1e-12)
        XCTAssertEqual(optimizer.paramGroups[0].beta1, 0.85, accuracy: 1e-12)
        XCTAssertEqual(optimizer.paramGroups[0].beta2, 0.999)
        for _ in 0..<5 { scheduler.step() }
        XCTAssertEqual(optimizer.learningRates[0], 0.04 / 1e4, accuracy: 1e-15)
        XCTAssertEqual(optimizer.paramGroups[0].beta1, 0.95, accuracy: 1e-12)
    }

    func testCosineWarmRestartsFractionalEpochs() {
        let optimizer = SGD([Parameter(vec([1]))], lr: 1)
        let scheduler = CosineAnnealingWarmRestarts(optimizer, t0: 2, tMult: 2)
        scheduler.step(epoch: 1)
        XCTAssertEqual(optimizer.learningRates[0], 0.5, accuracy: 1e-12)
        scheduler.step(epoch: 2)  // restart: period 4 begins
        XCTAssertEqual(optimizer.learningRates[0], 1, accuracy: 1e-12)
        XCTAssertEqual(scheduler.tI, 4)
        scheduler.step(epoch: 4)
        XCTAssertEqual(scheduler.tCur, 2, accuracy: 1e-12)
        XCTAssertEqual(optimizer.learningRates[0], 0.5, accuracy: 1e-12)
    }

    func testPlateauMaxModeAbsoluteThresholdAndCooldown() {
        let optimizer = SGD([Parameter(vec([1]))], lr: 1)
        let scheduler = ReduceLROnPlateau(optimizer, mode: .max, factor: 0.5, patience: 0, threshold: 0.1,
                                          thresholdMode: .abs, cooldown: 1, minLR: 0.3)
        scheduler.step(metric: 1.0)  // best
        scheduler.step(metric: 1.05)  // not better by 0.1: reduce
        XCTAssertEqual(optimizer.learningRates, [0.5])
        scheduler.step(metric: 0.0)  // in cooldown
        XCTAssertEqual(optimizer.learningRates, [0.5])
        scheduler.step(metric: 0.0)  // bad again: reduce, bounded by minLR
        XCTAssertEqual(optimizer.learningRates, [0.3])
        let state = scheduler.stateDict()
        XCTAssertEqual(state.values["best"], 1.0)
        XCTAssertEqual(state.lastEpoch, 4)
    }

    func testSchedulerStateForAnotherSchedulerIsRejected() {
        let optimizer = SGD([Parameter(vec([1]))], lr: 1)
        let step = StepLR(optimizer, stepSize: 2)
        let exponential = ExponentialLR(optimizer, gamma: 0.9)
        XCTAssertThrowsError(try exponential.loadStateDict(step.stateDict())) {
            XCTAssertTrue("\($0)".contains("saved by StepLR, not ExponentialLR"), "\($0)")
        }
        let twoGroups = try! SGD(groups: [ParamGroup([Parameter(vec([1]))], lr: 0.1), ParamGroup([Parameter(vec([1]))], lr: 0.1)])
        XCTAssertThrowsError(try StepLR(twoGroups, stepSize: 2).loadStateDict(step.stateDict())) {
            XCTAssertTrue("\($0)".contains("1 parameter groups, the optimizer has 2"), "\($0)")
        }
        let restarts = CosineAnnealingWarmRestarts(optimizer, t0: 3)
        var broken = restarts.stateDict()
        broken.values["T_i"] = nil
        XCTAssertThrowsError(try restarts.loadStateDict(broken)) {
            XCTAssertTrue("\($0)".contains("'T_i'"), "\($0)")
        }
    }
}
