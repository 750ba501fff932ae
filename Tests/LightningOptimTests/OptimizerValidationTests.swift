import XCTest
@testable import LightningOptim

/// Out-of-range options are errors that name the problem.
final class OptimizerValidationTests: XCTestCase {
    func assertInvalid<O: OptimizerOptions>(_ make: ([ParamGroup<O>]) throws -> Any, lr: Double = 0.1, _ options: O,
                                            mentions text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try make([ParamGroup([Parameter(vec([1]))], lr: lr, options: options)]), file: file, line: line) {
            guard case OptimizerError.invalidOption(let message) = $0 else { return XCTFail("\($0)", file: file, line: line) }
            XCTAssertTrue(message.contains(text), "'\(message)' does not mention '\(text)'", file: file, line: line)
        }
    }

    func testInvalidOptionsAreRejected() {
        assertInvalid(SGD.init(groups:), lr: -0.1, SGDOptions(), mentions: "SGD: invalid learning rate -0.1 in group 0")
        assertInvalid(Adam.init(groups:), lr: .nan, AdamOptions(), mentions: "invalid learning rate nan")
        assertInvalid(SGD.init(groups:), SGDOptions(momentum: -0.5), mentions: "invalid momentum -0.5")
        assertInvalid(SGD.init(groups:), SGDOptions(momentum: 0.9, dampening: 0.1, nesterov: true),
                      mentions: "Nesterov momentum requires a momentum and zero dampening")
        assertInvalid(SGD.init(groups:), SGDOptions(weightDecay: -1), mentions: "invalid weight decay -1")
        assertInvalid(Adam.init(groups:), AdamOptions(betas: (1.0, 0.999)), mentions: "Adam: invalid beta parameter at index 0: 1.0")
        assertInvalid(AdamW.init(groups:), AdamOptions(betas: (0.9, -0.1)), mentions: "AdamW: invalid beta parameter at index 1: -0.1")
        assertInvalid(Adam.init(groups:), AdamOptions(eps: -1e-8), mentions: "invalid epsilon value")
        assertInvalid(RMSprop.init(groups:), RMSpropOptions(alpha: -0.1), mentions: "invalid alpha value -0.1")
        assertInvalid(RMSprop.init(groups:), RMSpropOptions(momentum: -1), mentions: "invalid momentum value -1")
        assertInvalid(Adagrad.init(groups:), AdagradOptions(lrDecay: -1), mentions: "invalid lr_decay value -1")
        assertInvalid(Adagrad.init(groups:), AdagradOptions(initialAccumulatorValue: -1), mentions: "initial_accumulator_value")
    }

    func testErrorsDescribeThemselves() {
        XCTAssertEqual("\(OptimizerError.invalidOption("SGD: bad"))", "SGD: bad")
    }
}
