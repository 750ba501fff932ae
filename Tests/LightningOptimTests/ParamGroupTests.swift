import XCTest
@testable import LightningOptim

/// Parameter groups with their own learning rates and options.
final class ParamGroupTests: XCTestCase {
    let gradients: [[Float]] = [[0.5, -1, 2], [-0.25, 0.75, 1], [1, 1, -3], [0.1, -0.2, 0.3]]

    /// Runs `optimizer` over `gradients` (the same for every parameter) and returns each parameter's values.
    func run(_ optimizer: any Optimizer, _ parameters: [Parameter]) -> [[Float]] {
        for g in gradients {
            for p in parameters { p.grad = Tensor(g) }
            optimizer.step()
        }
        return parameters.map(\.value.scalars)
    }

    func testGroupsWithDifferentLearningRatesMatchSeparateOptimizers() throws {
        let start: [Float] = [1, -2, 0.5]
        let a = Parameter(Tensor(start)), b = Parameter(Tensor(start))
        let grouped = try SGD(groups: [
            ParamGroup([a], lr: 0.1, options: SGDOptions(momentum: 0.9)),
            ParamGroup([b], lr: 0.01, options: SGDOptions(momentum: 0.5, weightDecay: 0.1, nesterov: true)),
        ])
        let result = run(grouped, [a, b])
        XCTAssertNotEqual(result[0], result[1])

        let soloA = Parameter(Tensor(start)), soloB = Parameter(Tensor(start))
        XCTAssertEqual(run(SGD([soloA], lr: 0.1, momentum: 0.9), [soloA])[0], result[0])
        XCTAssertEqual(run(SGD([soloB], lr: 0.01, momentum: 0.5, weightDecay: 0.1, nesterov: true), [soloB])[0], result[1])
    }

    func testAdamGroupsMatchSeparateOptimizers() throws {
        let start: [Float] = [0.3, 0.2, -0.1]
        let a = Parameter(Tensor(start)), b = Parameter(Tensor(start))
        let grouped = try AdamW(groups: [
            ParamGroup([a], lr: 1e-2, options: AdamOptions(weightDecay: 0.01)),
            ParamGroup([b], lr: 1e-3, options: AdamOptions(betas: (0.8, 0.99), weightDecay: 0, amsgrad: true)),
        ])
        let result = run(grouped, [a, b])
        let soloA = Parameter(Tensor(start)), soloB = Parameter(Tensor(start))
        XCTAssertEqual(run(AdamW([soloA], lr: 1e-2, weightDecay: 0.01), [soloA])[0], result[0])
        XCTAssertEqual(run(AdamW([soloB], lr: 1e-3, betas: (0.8, 0.99), weightDecay: 0, amsgrad: true), [soloB])[0], result[1])
    }

    func testLearningRatesAndOptionsAreEditable() throws {
        let a = Parameter(vec([1])), b = Parameter(vec([1]))
        let optimizer = try RMSprop(groups: [ParamGroup([a], lr: 0.1), ParamGroup([b], lr: 0.2, options: RMSpropOptions(momentum: 0.9))])
        XCTAssertEqual(optimizer.learningRates, [0.1, 0.2])
        optimizer.learningRates = [0.3, 0.4]
        XCTAssertEqual(optimizer.paramGroups.map(\.lr), [0.3, 0.4])
        XCTAssertEqual(optimizer.paramGroups[1].momentum, 0.9)
        optimizer.paramGroups[0].momentum = 0.5
        XCTAssertEqual(optimizer.momenta, [0.5, 0.9])
        XCTAssertEqual(optimizer.parameters.map(ObjectIdentifier.init), [a, b].map(ObjectIdentifier.init))
        XCTAssertNil(Adagrad([a], lr: 0.1).momenta, "Adagrad has no momentum to cycle")
        XCTAssertEqual(Adam([a], lr: 0.1, betas: (0.7, 0.9)).momenta, [0.7])
    }

    /// A group added with a parameter of another group is rejected, naming it.
    func testGroupsMayNotShareParameters() {
        let shared = Parameter(vec([1, 2]))
        XCTAssertThrowsError(try SGD(groups: [ParamGroup([shared], lr: 0.1), ParamGroup([Parameter(vec([1])), shared], lr: 0.2)])) {
            guard case OptimizerError.invalidParameterGroups(let message) = $0 else { return XCTFail("\($0)") }
            XCTAssertTrue(message.contains("parameter 1 of group 1 (shape [2]) appears more than once"), message)
        }
        XCTAssertThrowsError(try Adam(groups: [ParamGroup([shared, shared], lr: 0.1)]))
        XCTAssertThrowsError(try Adam(groups: [])) {
            XCTAssertTrue("\($0)".contains("empty parameter list"), "\($0)")
        }
    }
}
