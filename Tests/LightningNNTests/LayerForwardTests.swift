import Foundation
import LightningTestSupport
import XCTest
@testable import LightningNN

/// Layer outputs on known values, computed by hand.
final class LayerForwardTests: XCTestCase {
    func testLinearComputesXWTransposePlusBias() throws {
        let layer = Linear(3, 2)
        try layer.loadStateDict(["weight": Tensor([[1, 2, 3], [-1, 0, 1]]), "bias": Tensor([0.5, -0.5] as [Float])])
        let y = layer(Tensor([[1, 1, 1], [2, 0, -1]]))
        XCTAssertEqual(y.scalars, [6.5, -0.5, -0.5, -3.5])
    }

    func testLinearGradientsReachItsParameters() throws {
        let layer = Linear(4, 3)
        layer(sampleInput([5, 4])).sum().backward()
        XCTAssertEqual(try XCTUnwrap(layer.weight.grad).shape, [3, 4])
        XCTAssertEqual(try XCTUnwrap(layer.bias?.grad).scalars, [5, 5, 5])
    }

    func testConv2dSumsWindows() throws {
        let conv = Conv2d(1, 1, kernelSize: 2)
        try conv.loadStateDict(["weight": Tensor.ones([1, 1, 2, 2]), "bias": Tensor([1] as [Float])])
        let x = Tensor(shape: [1, 1, 3, 3], scalars: (0..<9).map(Float.init))
        XCTAssertEqual(conv(x).scalars, [9, 13, 21, 25])
    }

    func testConv1dSumsWindows() throws {
        let conv = Conv1d(1, 1, kernelSize: 2, bias: false)
        try conv.loadStateDict(["weight": Tensor(shape: [1, 1, 2], scalars: [1, -1])])
        XCTAssertEqual(conv(Tensor(shape: [1, 1, 4], scalars: [1, 4, 9, 16])).scalars, [-3, -5, -7])
    }

    func testPoolingValues() {
        let x = Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map(Float.init))
        XCTAssertEqual(MaxPool2d(kernelSize: 2)(x).scalars, [5, 7, 13, 15])
        XCTAssertEqual(AvgPool2d(kernelSize: 2)(x).scalars, [2.5, 4.5, 10.5, 12.5])
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: 1)(x).scalars, [7.5])
    }

    func testLayerNormStandardizesEachRow() throws {
        let norm = LayerNorm(4)
        let y = norm(Tensor([[1, 2, 3, 4], [10, 10, 10, 14]]))
        let inv = 1 / (1.25 + 1e-5).squareRoot()
        assertClose(Array(y.scalars[0..<4]), [-1.5, -0.5, 0.5, 1.5].map { Float($0 * inv) }, rtol: 0, atol: 1e-5)
        let inv2 = 1 / (3.0 + 1e-5).squareRoot()
        assertClose(Array(y.scalars[4..<8]), [-1, -1, -1, 3].map { Float($0 * inv2) }, rtol: 0, atol: 1e-5)
    }

    func testActivationValues() {
        let x = Tensor([-1, 0, 2] as [Float])
        XCTAssertEqual(ReLU()(x).scalars, [0, 0, 2])
        assertClose(LeakyReLU(negativeSlope: 0.1)(x).scalars, [-0.1, 0, 2], rtol: 0, atol: 1e-5)
        assertClose(Sigmoid()(x).scalars, [Float(1 / (1 + M_E)), 0.5, Float(1 / (1 + exp(-2.0)))], rtol: 0, atol: 1e-5)
        assertClose(Tanh()(x).scalars, [Float(tanh(-1.0)), 0, Float(tanh(2.0))], rtol: 0, atol: 1e-5)
        assertClose(SiLU()(x).scalars, [Float(-1 / (1 + M_E)), 0, Float(2 / (1 + exp(-2.0)))], rtol: 0, atol: 1e-5)
        assertClose(GELU()(x).scalars, [-0.15865526, 0, 1.9544997], rtol: 0, atol: 1e-5)
        assertClose(GELU(approximate: .tanh)(x).scalars, [-0.15880801, 0, 1.9545977], rtol: 0, atol: 1e-5)
        assertClose(Softplus()(x).scalars, [Float(log(1 + exp(-1.0))), Float(log(2.0)), Float(log(1 + exp(2.0)))], rtol: 0, atol: 1e-5)
        assertClose(Softplus(beta: 2, threshold: 3)(x).scalars, [Float(log(1 + exp(-2.0)) / 2), Float(log(2.0) / 2), 2], rtol: 0, atol: 1e-5)
        assertClose(ELU()(x).scalars, [Float(exp(-1.0) - 1), 0, 2], rtol: 0, atol: 1e-5)
        assertClose(ELU(alpha: 2)(x).scalars, [Float(2 * (exp(-1.0) - 1)), 0, 2], rtol: 0, atol: 1e-5)
        XCTAssertEqual(Identity()(x).scalars, x.scalars)
    }

    func testEmbeddingPaddingRowGetsNoGradient() throws {
        let table = Embedding(5, 2, paddingIndex: 0)
        XCTAssertEqual(Array(table.weight.value.scalars[0..<2]), [0, 0], "the padding row starts at zero")
        table(Tensor(labels: [0, 3, 3])).sum().backward()
        let grad = try XCTUnwrap(table.weight.grad).scalars
        XCTAssertEqual(grad, [0, 0, 0, 0, 0, 0, 2, 2, 0, 0])
    }
}
