import LightningOptim
import XCTest

/// Options of ``HeavyBall``: only a momentum factor.
struct HeavyBallOptions: OptimizerOptions, Equatable {
    var momentum: Double = 0.9

    init() {}

    func validate() throws {
        if !(momentum >= 0 && momentum < 1) { throw OptimizerError.invalidOption("momentum \(momentum) must be in [0, 1)") }
    }
}

/// Heavy-ball momentum (`buf = m·buf + g; p -= lr·buf`), written as a user would write it:
/// this file imports LightningOptim without `@testable`, so it sees only the public API.
final class HeavyBall: OptimizerBase<HeavyBallOptions> {
    override class var stateNames: Set<String> { ["step", "momentum_buffer"] }

    override func update(_ parameter: Tensor, gradient: Tensor, state: ParameterState, group: ParamGroup<HeavyBallOptions>) {
        state.hasStep = true
        state.step += 1
        let lr = Float(group.lr), momentum = Float(group.momentum)
        let buffer = state.buffer("momentum_buffer", like: parameter)
        gradient.withUnsafeBufferPointer { g in
            buffer.withUnsafeMutableBufferPointer { b in
                parameter.withUnsafeMutableBufferPointer { p in
                    for i in p.indices {
                        b[i] = b[i] * momentum + g[i]
                        p[i] = p[i] + -lr * b[i]
                    }
                }
            }
        }
    }
}

/// `OptimizerBase` is open: a custom optimizer gets groups, state dicts and schedulers for free.
final class CustomOptimizerTests: XCTestCase {
    private let gradients: [[Float]] = [[0.5, -1, 2], [0.25, 0.5, -1], [-2, 1, 0.125], [1, 1, 1]]

    func testACustomOptimizerMatchesTheBuiltInItReimplements() throws {
        let mine = Parameter(Tensor([1, 2, 3] as [Float])), reference = Parameter(Tensor([1, 2, 3] as [Float]))
        let custom = try HeavyBall(groups: [ParamGroup([mine], lr: 0.1)])
        let sgd = SGD([reference], lr: 0.1, momentum: 0.9)
        for g in gradients {
            mine.grad = Tensor(g)
            reference.grad = Tensor(g)
            custom.step()
            sgd.step()
            XCTAssertEqual(mine.value.scalars, reference.value.scalars)
        }
        custom.zeroGrad()
        XCTAssertNil(mine.grad)
    }

    func testItsStateDictResumesTheRunAndIsChecked() throws {
        let parameter = Parameter(Tensor([1, 2, 3] as [Float]))
        let optimizer = try HeavyBall(groups: [ParamGroup([parameter], lr: 0.05)])
        parameter.grad = Tensor(gradients[0])
        optimizer.step()
        let saved = optimizer.stateDict()
        XCTAssertEqual(saved.optimizer, "HeavyBall")
        XCTAssertEqual(Set(try XCTUnwrap(saved.tensors[0]).keys), ["step", "momentum_buffer"])
        XCTAssertEqual(saved.groups.first?.options["momentum"], .number(0.9))

        let resumedParameter = Parameter(parameter.value.copied())
        let resumed = try HeavyBall(groups: [ParamGroup([resumedParameter], lr: 0.05)])
        try resumed.loadStateDict(saved)
        for g in gradients.dropFirst() {
            parameter.grad = Tensor(g)
            resumedParameter.grad = Tensor(g)
            optimizer.step()
            resumed.step()
        }
        XCTAssertEqual(resumedParameter.value.scalars, parameter.value.scalars)

        var foreign = saved
        foreign.tensors[0]?["exp_avg"] = Tensor([0, 0, 0] as [Float])
        XCTAssertThrowsError(try resumed.loadStateDict(foreign)) { error in
            XCTAssertTrue("\(error)".contains("'exp_avg', which HeavyBall does not keep"), "\(error)")
        }
    }

    func testItsOptionsAreValidatedAndSchedulersDriveIt() throws {
        var options = HeavyBallOptions()
        options.momentum = 1.5
        let parameter = Parameter(Tensor([1] as [Float]))
        XCTAssertThrowsError(try HeavyBall(groups: [ParamGroup([parameter], lr: 0.1, options: options)]))

        let optimizer = try HeavyBall(groups: [ParamGroup([parameter], lr: 0.1)])
        let scheduler = StepLR(optimizer, stepSize: 1, gamma: 0.5)
        scheduler.step()
        XCTAssertEqual(optimizer.learningRates, [0.05])
    }
}
