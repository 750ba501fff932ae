import Foundation
import LightningTestSupport
import XCTest
@testable import LightningOptim

/// Saving an optimizer mid-run and loading it into a fresh one continues the run exactly.
final class OptimizerStateDictTests: XCTestCase {
    /// Simulates a checkpoint: tensors by `<param name>.<state>`, scalars through JSON.
    func throughCheckpoint(_ state: OptimizerState, names: [String]) throws -> OptimizerState {
        let named = state.namedTensors(parameterNames: names)
        let json = try JSONEncoder().encode(state.scalars)
        let scalars = try JSONDecoder().decode(OptimizerState.Scalars.self, from: json)
        let tensors = try OptimizerState.tensors(fromNamed: named.mapValues { $0.copied() }, parameterNames: names)
        return OptimizerState(tensors: tensors, scalars: scalars)
    }

    func testRoundTripMidTrajectoryReproducesEveryFixtureCaseBitForBit() throws {
        let fixture = try loadFixture("optimizers", as: OptimizerParityTests.Fixture.self, bundle: .module)
        for c in fixture.optimizers {
            let parameter = makeParameter(c.initial.tensor)
            let optimizer = try makeOptimizer(c.optimizer, c.params, [parameter])
            var saved: OptimizerState?
            var savedValues: Tensor?
            var uninterrupted: [[Float]] = []
            for (step, grad) in c.grads.enumerated() {
                if step == 3 {
                    saved = optimizer.stateDict()
                    savedValues = parameter.value.copied()
                }
                parameter.grad = grad.tensor
                optimizer.step()
                if step >= 3 { uninterrupted.append(parameter.value.scalars) }
            }

            // A fresh optimizer built with another learning rate: the loaded one must win.
            let resumedParameter = makeParameter(try XCTUnwrap(savedValues))
            var otherParams = c.params
            otherParams["lr"] = .number(0.123)
            let resumed = try makeOptimizer(c.optimizer, otherParams, [resumedParameter])
            try resumed.loadStateDict(throughCheckpoint(try XCTUnwrap(saved), names: ["net.0.weight"]))
            XCTAssertEqual(resumed.learningRates, optimizer.learningRates, c.name)
            for (i, grad) in c.grads[3...].enumerated() {
                resumedParameter.grad = grad.tensor
                resumed.step()
                XCTAssertEqual(resumedParameter.value.scalars, uninterrupted[i], "\(c.name) resumed step \(i + 4)")
            }
        }
    }

    func testStateDictLayoutFollowsPyTorch() throws {
        let a = Parameter(vec([1, 2])), b = Parameter(vec([[1, 2], [3, 4]])), c = Parameter(vec([5]))
        let optimizer = try Adam(groups: [
            ParamGroup([a], lr: 0.1, options: AdamOptions(amsgrad: true)),
            ParamGroup([b, c], lr: 0.01),
        ])
        a.grad = vec([1, 1]); b.grad = vec([[1, 1], [1, 1]])
        optimizer.step()
        optimizer.step()
        let state = optimizer.stateDict()
        XCTAssertEqual(state.optimizer, "Adam")
        XCTAssertEqual(state.groups.map(\.params), [[0], [1, 2]])
        XCTAssertEqual(state.groups.map(\.lr), [0.1, 0.01])
        XCTAssertEqual(state.groups[0].options["amsgrad"], .flag(true))
        XCTAssertEqual(state.groups[1].options["weight_decay"], .number(0))
        XCTAssertEqual(Set(state.tensors[0]!.keys), ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        XCTAssertEqual(Set(state.tensors[1]!.keys), ["step", "exp_avg", "exp_avg_sq"])
        XCTAssertNil(state.tensors[2], "a parameter that never had a gradient has no state")
        XCTAssertEqual(state.tensors[1]!["step"]!.shape, [])
        XCTAssertEqual(state.tensors[1]!["step"]!.item(), 2)
        XCTAssertEqual(state.tensors[1]!["exp_avg"]!.shape, [2, 2])

        let named = state.namedTensors(parameterNames: ["fc.bias", "fc.weight", "out.bias"])
        XCTAssertEqual(Set(named.keys), ["fc.bias.step", "fc.bias.exp_avg", "fc.bias.exp_avg_sq", "fc.bias.max_exp_avg_sq",
                                         "fc.weight.step", "fc.weight.exp_avg", "fc.weight.exp_avg_sq"])
    }

    /// The snapshot is a copy: training on does not change it.
    func testStateDictIsASnapshot() {
        let p = Parameter(vec([1, 2]))
        let optimizer = SGD([p], lr: 0.1, momentum: 0.9)
        p.grad = vec([1, 1])
        optimizer.step()
        let state = optimizer.stateDict()
        optimizer.step()
        XCTAssertEqual(state.tensors[0]!["momentum_buffer"]!.scalars, [1, 1])
    }

    /// Whole-number options survive JSON as numbers (not booleans), and flags as flags.
    func testOptionsRoundTripThroughJSON() throws {
        let p = Parameter(vec([1]))
        let options = SGDOptions(momentum: 1, dampening: 0, weightDecay: 0, nesterov: false)
        let optimizer = try SGD(groups: [ParamGroup([p], lr: 1, options: options)])
        let data = try JSONEncoder().encode(optimizer.stateDict().scalars)
        let scalars = try JSONDecoder().decode(OptimizerState.Scalars.self, from: data)
        let other = SGD([Parameter(vec([1]))], lr: 0.5, momentum: 0.3, nesterov: true)
        try other.loadStateDict(OptimizerState(tensors: [:], scalars: scalars))
        XCTAssertEqual(other.paramGroups[0].options, options)
        XCTAssertEqual(other.learningRates, [1])
    }

    func testRejectsStateOfAnotherOptimizer() {
        let sgd = SGD([Parameter(vec([1]))], lr: 0.1)
        let adam = Adam([Parameter(vec([1]))], lr: 0.1)
        assertMismatch(try adam.loadStateDict(sgd.stateDict()), mentions: "saved by SGD, not Adam")
        let adamw = AdamW([Parameter(vec([1]))], lr: 0.1)
        assertMismatch(try adamw.loadStateDict(adam.stateDict()), mentions: "saved by Adam, not AdamW")
    }

    func testRejectsOtherGroupsShapesAndNames() {
        let p = Parameter(vec([1, 2, 3]))
        let source = SGD([p], lr: 0.1, momentum: 0.9)
        p.grad = vec([1, 1, 1])
        source.step()
        let good = source.stateDict()

        let twoParams = SGD([Parameter(vec([1, 2, 3])), Parameter(vec([1]))], lr: 0.1, momentum: 0.9)
        assertMismatch(try twoParams.loadStateDict(good), mentions: "group 0 has 1 parameters in the state dict, 2 in the optimizer")

        let twoGroups = try! SGD(groups: [ParamGroup([Parameter(vec([1, 2, 3]))], lr: 0.1),
                                          ParamGroup([Parameter(vec([1]))], lr: 0.1)])
        assertMismatch(try twoGroups.loadStateDict(good), mentions: "1 parameter groups, the optimizer has 2")

        let otherShape = SGD([Parameter(vec([1, 2]))], lr: 0.1, momentum: 0.9)
        assertMismatch(try otherShape.loadStateDict(good), mentions: "'momentum_buffer' has shape [3], the parameter has shape [2]")

        var renamed = good
        renamed.tensors[0] = ["exp_avg": vec([0, 0, 0])]
        let target = SGD([Parameter(vec([1, 2, 3]))], lr: 0.1, momentum: 0.9)
        assertMismatch(try target.loadStateDict(renamed), mentions: "state 'exp_avg', which SGD does not keep")

        var stray = good
        stray.tensors[7] = ["momentum_buffer": vec([0, 0, 0])]
        assertMismatch(try target.loadStateDict(stray), mentions: "parameter index 7")

        var badOptions = good
        badOptions.scalars.groups[0].options["momentum"] = .number(-1)
        assertMismatch(try target.loadStateDict(badOptions), mentions: "invalid momentum -1")
    }

    /// A rejected state dict leaves the optimizer exactly as it was.
    func testFailedLoadChangesNothing() throws {
        let p = Parameter(vec([1, 2]))
        let optimizer = Adam([p], lr: 0.1)
        p.grad = vec([1, -1])
        optimizer.step()
        let before = optimizer.stateDict()
        var bad = before
        bad.scalars.groups[0].lr = 5
        bad.tensors[0]!["exp_avg"] = vec([1, 2, 3])
        XCTAssertThrowsError(try optimizer.loadStateDict(bad))
        XCTAssertEqual(optimizer.learningRates, [0.1])
        XCTAssertEqual(optimizer.stateDict().tensors[0]!["exp_avg"]!.scalars, before.tensors[0]!["exp_avg"]!.scalars)
    }

    func testNamedTensorKeysMustNameParameters() {
        XCTAssertThrowsError(try OptimizerState.tensors(fromNamed: ["fc.weight.exp_avg": vec([1])], parameterNames: ["fc.bias"])) {
            XCTAssertTrue("\($0)".contains("fc.weight.exp_avg"), "\($0)")
        }
    }

    func assertMismatch(_ expression: @autoclosure () throws -> Void, mentions text: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            guard case OptimizerError.stateDictMismatch(let message) = error else {
                return XCTFail("expected stateDictMismatch, got \(error)", file: file, line: line)
            }
            XCTAssertTrue(message.contains(text), "message '\(message)' does not mention '\(text)'", file: file, line: line)
        }
    }
}
