import XCTest
@testable import LightningOptim

/// The update kernels run four elements at a time with a scalar tail; both must give the same bits.
final class KernelLaneTests: XCTestCase {
    let start: [Float] = [0.5, -1.25, 2, 0.001, -3, 0.75, 1.5, -0.2, 4, 0.3, -0.6]
    let grads: [[Float]] = [
        [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -1.0, 1.1],
        [1.5, 0.25, -0.5, 2, -1, 0.125, 3, -0.75, 0.5, 0.2, -2],
        [-0.3, 0.9, 0.1, -1.2, 0.4, 0.6, -0.9, 1.1, -0.2, 0.05, 0.7],
    ]

    /// Runs one optimizer over a single 11-element parameter (lanes plus a tail) and another over
    /// 11 one-element parameters (tails only), and compares.
    func assertLanesAgree(_ name: String, _ make: ([Parameter]) -> any Optimizer, file: StaticString = #filePath, line: UInt = #line) {
        let whole = Parameter(vec(start))
        let singles = start.map { Parameter(vec([$0])) }
        let a = make([whole]), b = make(singles)
        for g in grads {
            whole.grad = vec(g)
            for (p, x) in zip(singles, g) { p.grad = vec([x]) }
            a.step()
            b.step()
        }
        XCTAssertEqual(whole.value.scalars, singles.map { $0.value.scalars[0] }, name, file: file, line: line)
    }

    func testVectorAndScalarPathsAgreeBitForBit() {
        assertLanesAgree("sgd") { SGD($0, lr: 0.1) }
        assertLanesAgree("sgd momentum wd maximize") { SGD($0, lr: 0.1, momentum: 0.9, dampening: 0.2, weightDecay: 0.01, maximize: true) }
        assertLanesAgree("sgd nesterov") { SGD($0, lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) }
        assertLanesAgree("adam amsgrad wd") { Adam($0, lr: 0.01, weightDecay: 0.1, amsgrad: true) }
        assertLanesAgree("adam beta1 0.3") { Adam($0, lr: 0.01, betas: (0.3, 0.9)) }
        assertLanesAgree("adamw") { AdamW($0, lr: 0.01) }
        assertLanesAgree("rmsprop centered momentum wd") { RMSprop($0, lr: 0.01, weightDecay: 0.1, momentum: 0.9, centered: true) }
        assertLanesAgree("rmsprop alpha 0.3") { RMSprop($0, lr: 0.01, alpha: 0.3, centered: true) }
        assertLanesAgree("adagrad") { Adagrad($0, lr: 0.1, lrDecay: 0.01, weightDecay: 0.1, initialAccumulatorValue: 0.1) }
    }
}
