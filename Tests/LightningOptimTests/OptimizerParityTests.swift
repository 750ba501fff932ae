import LightningTestSupport
import XCTest
@testable import LightningOptim

/// The optimizers against PyTorch: every step of every case in `optimizers.json`.
final class OptimizerParityTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let optimizer: String
            let params: [String: FixtureValue]
            let initial: FixtureTensor
            let grads: [FixtureTensor]
            let after_each_step: [FixtureTensor]
        }
        let optimizers: [Case]
    }

    func testEveryStepOfEveryCaseMatchesPyTorch() throws {
        let fixture = try loadFixture("optimizers", as: Fixture.self, bundle: .module)
        XCTAssertEqual(Set(fixture.optimizers.map(\.optimizer)), ["sgd", "adam", "adamw", "rmsprop", "adagrad"])
        for c in fixture.optimizers {
            let parameter = makeParameter(c.initial.tensor)
            let optimizer = try makeOptimizer(c.optimizer, c.params, [parameter])
            XCTAssertEqual(c.grads.count, c.after_each_step.count)
            for (step, (grad, expected)) in zip(c.grads, c.after_each_step).enumerated() {
                parameter.grad = grad.tensor
                optimizer.step()
                assertClose(parameter.value.scalars, expected.scalars, "\(c.name) step \(step + 1)")
            }
        }
    }

    /// A parameter without a gradient is left alone, and gets no state (PyTorch skips it).
    func testParametersWithoutGradientAreSkipped() throws {
        let a = Parameter(vec([1, 2, 3])), b = Parameter(vec([4, 5]))
        let optimizer = Adam([a, b], lr: 0.1)
        a.grad = vec([1, 1, 1])
        optimizer.step()
        XCTAssertEqual(b.value.scalars, [4, 5])
        XCTAssertNotEqual(a.value.scalars, [1, 2, 3])
        XCTAssertEqual(Array(optimizer.stateDict().tensors.keys), [0])
    }

    /// The update writes into the parameter's storage, so every view of it (a module's, the flat
    /// buffer's) sees the new values.
    func testUpdatesParameterStorageInPlace() {
        let parameter = Parameter(vec([1, 2]))
        let view = parameter.value
        let optimizer = SGD([parameter], lr: 0.5, momentum: 0.9)
        parameter.grad = vec([1, 1])
        optimizer.step()
        XCTAssertTrue(view.sharesElements(with: parameter.value))
        XCTAssertEqual(view.scalars, [0.5, 1.5])
    }

    func testZeroGradSetsToNoneOrZeros() {
        let a = Parameter(vec([1, 2])), b = Parameter(vec([3]))
        let optimizer = SGD([a, b], lr: 0.1)
        a.grad = vec([5, 6])
        let held = a.grad!
        optimizer.zeroGrad(setToNone: false)
        XCTAssertEqual(held.scalars, [0, 0])
        XCTAssertEqual(a.grad?.scalars, [0, 0])
        XCTAssertNil(b.grad)
        optimizer.zeroGrad()
        XCTAssertNil(a.grad)
    }

    func testMaximizeAscends() {
        let down = Parameter(vec([1])), up = Parameter(vec([1]))
        let minimizing = SGD([down], lr: 0.1), maximizing = SGD([up], lr: 0.1, maximize: true)
        down.grad = vec([2]); up.grad = vec([2])
        minimizing.step(); maximizing.step()
        XCTAssertEqual(down.value.scalars[0], 0.8, accuracy: 1e-7)
        XCTAssertEqual(up.value.scalars[0], 1.2, accuracy: 1e-7)
    }

    /// A Float learning rate (as in `Adam(parameters(), lr: learningRate)`) is accepted.
    func testFloatLearningRate() {
        let learningRate: Float = 1e-3
        let optimizer = Adam([Parameter(vec([1]))], lr: learningRate)
        XCTAssertEqual(optimizer.learningRates, [Double(learningRate)])
    }
}
