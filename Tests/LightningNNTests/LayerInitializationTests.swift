import Foundation
import XCTest
@testable import LightningNN

/// PyTorch's default initializations, tested statistically on large layers with fixed seeds.
///
/// For U(−b, b) with n samples: the mean has standard deviation b/√(3n), the variance is b²/3
/// with relative standard deviation √(0.8/n), the extremes lie within b·(1 ± 1e-3) with
/// overwhelming probability, and the KS statistic stays under its 0.1% critical value.
final class LayerInitializationTests: XCTestCase {
    /// Checks that `values` look like U(−b, b) for b = 1/√fanIn.
    private func assertUniform(_ values: [Float], fanIn: Int, _ what: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let b = 1 / Double(fanIn).squareRoot(), n = Double(values.count)
        let (mean, variance) = moments(values)
        XCTAssertLessThan(abs(mean), 5 * b / (3 * n).squareRoot(), "\(what): mean", file: file, line: line)
        XCTAssertEqual(variance / (b * b / 3), 1, accuracy: 5 * (0.8 / n).squareRoot(), "\(what): variance", file: file, line: line)
        let low = Double(values.min()!), high = Double(values.max()!)
        XCTAssertGreaterThanOrEqual(low, -b * (1 + 1e-6), "\(what): lower bound", file: file, line: line)
        XCTAssertLessThanOrEqual(high, b * (1 + 1e-6), "\(what): upper bound", file: file, line: line)
        // With ≥ 10⁵ samples the extremes come within 0.01% of the bounds (miss probability < e^-5).
        let slack = n >= 100_000 ? 1e-3 : 2e-2
        XCTAssertLessThan(low, -b * (1 - slack), "\(what): reaches the lower bound", file: file, line: line)
        XCTAssertGreaterThan(high, b * (1 - slack), "\(what): reaches the upper bound", file: file, line: line)
        let d = ksStatistic(values) { x in min(max((x + b) / (2 * b), 0), 1) }
        XCTAssertLessThan(d, ksCritical(values.count), "\(what): KS statistic against U(-b, b)", file: file, line: line)
    }

    func testLinearWeightIsUniformWithBoundOneOverSqrtFanIn() {
        let layer = Linear(1000, 300, generator: Generator(seed: 101))
        assertUniform(layer.weight.value.scalars, fanIn: 1000, "Linear(1000, 300).weight")
    }

    func testLinearBiasIsUniformWithTheSameBound() throws {
        let layer = Linear(4, 150_000, generator: Generator(seed: 102))
        assertUniform(try XCTUnwrap(layer.bias).value.scalars, fanIn: 4, "Linear(4, 150000).bias")
        assertUniform(layer.weight.value.scalars, fanIn: 4, "Linear(4, 150000).weight")
    }

    func testConv2dFanInCountsInputChannelsPerGroupAndKernel() throws {
        // fan_in = 64 / 2 · 3 · 3 = 288; a fan-in that ignored groups (576) would miss the bounds.
        let conv = Conv2d(64, 512, kernelSize: 3, groups: 2, generator: Generator(seed: 103))
        assertUniform(conv.weight.value.scalars, fanIn: 288, "Conv2d(64, 512, 3, groups=2).weight")
        assertUniform(try XCTUnwrap(conv.bias).value.scalars, fanIn: 288, "Conv2d bias")
        let rectangular = Conv2d(16, 256, kernelSize: (3, 5), generator: Generator(seed: 104))
        assertUniform(rectangular.weight.value.scalars, fanIn: 240, "Conv2d(16, 256, (3, 5)).weight")
    }

    func testConv1dFanIn() throws {
        let conv = Conv1d(30, 2000, kernelSize: 5, generator: Generator(seed: 105))
        assertUniform(conv.weight.value.scalars, fanIn: 150, "Conv1d(30, 2000, 5).weight")
        assertUniform(try XCTUnwrap(conv.bias).value.scalars, fanIn: 150, "Conv1d bias")
    }

    func testEmbeddingIsStandardNormal() {
        let values = Embedding(1000, 500, generator: Generator(seed: 106)).weight.value.scalars
        let n = Double(values.count)
        let (mean, variance) = moments(values)
        XCTAssertLessThan(abs(mean), 5 / n.squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 5 * (2 / n).squareRoot())
        let within1 = Double(values.filter { abs($0) < 1 }.count) / n
        let within2 = Double(values.filter { abs($0) < 2 }.count) / n
        XCTAssertEqual(within1, 0.682_689, accuracy: 0.003)
        XCTAssertEqual(within2, 0.954_500, accuracy: 0.0015)
        let d = ksStatistic(values) { x in 0.5 * (1 + erf(x / 2.0.squareRoot())) }
        XCTAssertLessThan(d, ksCritical(values.count), "KS statistic against N(0, 1)")
    }

    func testNormalizationLayersStartAtIdentity() throws {
        for bn in [BatchNorm1d(7), BatchNorm2d(7)] as [BatchNormBase] {
            XCTAssertEqual(try XCTUnwrap(bn.weight).value.scalars, [Float](repeating: 1, count: 7))
            XCTAssertEqual(try XCTUnwrap(bn.bias).value.scalars, [Float](repeating: 0, count: 7))
            XCTAssertEqual(try XCTUnwrap(bn.runningMean).value.scalars, [Float](repeating: 0, count: 7))
            XCTAssertEqual(try XCTUnwrap(bn.runningVar).value.scalars, [Float](repeating: 1, count: 7))
            XCTAssertEqual(try XCTUnwrap(bn.numBatchesTracked).value.int64Scalars, [0])
        }
        let norm = LayerNorm([2, 3])
        XCTAssertEqual(try XCTUnwrap(norm.weight).value.scalars, [Float](repeating: 1, count: 6))
        XCTAssertEqual(try XCTUnwrap(norm.bias).value.scalars, [Float](repeating: 0, count: 6))
    }

    func testInitializationFollowsTheGenerator() {
        let a = Linear(8, 4, generator: Generator(seed: 9)), b = Linear(8, 4, generator: Generator(seed: 9))
        XCTAssertEqual(a.weight.value.scalars, b.weight.value.scalars)
        XCTAssertEqual(a.bias?.value.scalars, b.bias?.value.scalars)
        XCTAssertNotEqual(a.weight.value.scalars, Linear(8, 4, generator: Generator(seed: 10)).weight.value.scalars)
        XCTAssertNotEqual(a.weight.value.scalars.prefix(4), a.bias!.value.scalars[...],
                          "the bias is drawn after the weight, not from the same numbers")

        // Without a generator the default one is used, so seeding it reproduces the model.
        let saved = Generator.default.state
        defer { Generator.default.state = saved }
        Generator.default.manualSeed(1234)
        let first = Sequential(Conv2d(2, 3, kernelSize: 3), Embedding(4, 2), Linear(3, 2))
        Generator.default.manualSeed(1234)
        let second = Sequential(Conv2d(2, 3, kernelSize: 3), Embedding(4, 2), Linear(3, 2))
        for ((name, x), (_, y)) in zip(first.namedStateDict(), second.namedStateDict()) {
            XCTAssertEqual(x.scalars, y.scalars, name)
        }
    }

    func testEveryParameterIsATrainableFloatLeaf() {
        let net = Sequential(Conv1d(2, 2, kernelSize: 1), Conv2d(2, 2, kernelSize: 1), BatchNorm1d(2), BatchNorm2d(2),
                             LayerNorm(2), Embedding(3, 2), Linear(2, 2))
        for (name, p) in net.namedParameters() {
            XCTAssertTrue(p.value.requiresGrad, name)
            XCTAssertTrue(p.value.isLeaf, name)
            XCTAssertEqual(p.value.dtype, .float32, name)
        }
        XCTAssertEqual(net.parameters().count, 13)
    }
}
