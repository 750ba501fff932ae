import LightningTestSupport
import XCTest
@testable import LightningNN

/// Training versus evaluation behaviour: Dropout and BatchNorm.
final class LayerModeTests: XCTestCase {
    /// Three samples of two channels: channel means 3 and 5, unbiased variances 4 and 13.
    private let batch = Tensor([[1, 2], [3, 4], [5, 9]])

    func testDropoutDropsAndScalesInTrainingAndIsIdentityInEval() {
        let layer = Dropout(0.25, generator: Generator(seed: 11))
        let x = Tensor.ones([20_000])
        let y = layer(x).scalars
        let kept = y.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { abs($0 - 4.0 / 3.0) < 1e-6 }, "survivors are scaled by 1/(1-p)")
        let dropRate = Double(y.count - kept.count) / Double(y.count)
        XCTAssertEqual(dropRate, 0.25, accuracy: 0.015)
        layer.eval()
        XCTAssertFalse(layer.isTraining)
        XCTAssertEqual(layer(x).scalars, x.scalars)
        layer.train()
        XCTAssertNotEqual(layer(x).scalars, x.scalars)
    }

    func testDropoutMasksFollowTheGeneratorAndGradientUsesTheMask() {
        let a = Dropout(0.5, generator: Generator(seed: 3)), b = Dropout(0.5, generator: Generator(seed: 3))
        let x = sampleInput([64]).requiringGrad()
        let ya = a(x), yb = b(x)
        XCTAssertEqual(ya.scalars, yb.scalars)
        ya.sum().backward()
        let grad = try! XCTUnwrap(x.grad).scalars
        for (g, y) in zip(grad, ya.scalars) { XCTAssertEqual(g, y == 0 ? 0 : 2) }
        XCTAssertEqual(Dropout(0)(x).scalars, x.scalars, "p = 0 keeps everything")
        XCTAssertEqual(Dropout(1)(x).scalars, [Float](repeating: 0, count: 64), "p = 1 drops everything")
    }

    func testBatchNormTrainingUsesBatchStatisticsAndUpdatesRunningOnes() throws {
        let bn = BatchNorm1d(2)
        let y = bn(batch).scalars
        let inv0 = 1 / (8.0 / 3.0 + 1e-5).squareRoot(), inv1 = 1 / (26.0 / 3.0 + 1e-5).squareRoot()
        let expected: [Double] = [-2 * inv0, -3 * inv1, 0, -1 * inv1, 2 * inv0, 4 * inv1]
        assertClose(y, expected.map(Float.init), rtol: 0, atol: 1e-5)
        assertClose(try XCTUnwrap(bn.runningMean).value.scalars, [0.3, 0.5], rtol: 0, atol: 1e-5)
        assertClose(try XCTUnwrap(bn.runningVar).value.scalars, [1.3, 2.2], rtol: 0, atol: 1e-5)
        XCTAssertEqual(try XCTUnwrap(bn.numBatchesTracked).value.int64Scalars, [1])
        _ = bn(batch)
        XCTAssertEqual(bn.stateDict()["num_batches_tracked"]?.int64Scalars, [2], "counts every training forward")
        assertClose(try XCTUnwrap(bn.runningMean).value.scalars, [0.57, 0.95], rtol: 0, atol: 1e-5)
    }

    func testBatchNormEvalUsesRunningStatisticsAndChangesNothing() throws {
        let bn = BatchNorm1d(2)
        try bn.loadStateDict([
            "weight": Tensor([2, 3] as [Float]), "bias": Tensor([1, -1] as [Float]),
            "running_mean": Tensor([1, 2] as [Float]), "running_var": Tensor([4, 9] as [Float]),
            "num_batches_tracked": Tensor(shape: [], int64Scalars: [5]),
        ])
        bn.eval()
        let y = bn(batch).scalars
        let eps: Float = 1e-5
        var expected: [Float] = []
        for row in [[1, 2], [3, 4], [5, 9]] as [[Float]] {
            expected.append((row[0] - 1) / (4 + eps).squareRoot() * 2 + 1)
            expected.append((row[1] - 2) / (9 + eps).squareRoot() * 3 - 1)
        }
        assertClose(y, expected, rtol: 0, atol: 1e-5)
        XCTAssertEqual(try XCTUnwrap(bn.runningMean).value.scalars, [1, 2])
        XCTAssertEqual(try XCTUnwrap(bn.runningVar).value.scalars, [4, 9])
        XCTAssertEqual(try XCTUnwrap(bn.numBatchesTracked).value.int64Scalars, [5], "eval does not count batches")
    }

    func testBatchNormWithoutMomentumKeepsACumulativeAverage() throws {
        let bn = BatchNorm1d(2, momentum: nil)
        _ = bn(batch)
        assertClose(try XCTUnwrap(bn.runningMean).value.scalars, [3, 5], rtol: 0, atol: 1e-5, "first batch has weight 1")
        assertClose(try XCTUnwrap(bn.runningVar).value.scalars, [4, 13], rtol: 0, atol: 1e-5)
        _ = bn(batch + 1)
        _ = bn(batch + 5)
        assertClose(try XCTUnwrap(bn.runningMean).value.scalars, [5, 7], rtol: 0, atol: 1e-5, "mean of the three batch means")
        assertClose(try XCTUnwrap(bn.runningVar).value.scalars, [4, 13], rtol: 0, atol: 1e-5)
        XCTAssertEqual(try XCTUnwrap(bn.numBatchesTracked).value.int64Scalars, [3])
    }

    func testBatchNormWithoutRunningStatsAlwaysUsesTheBatch() {
        let bn = BatchNorm1d(2, trackRunningStats: false)
        let training = bn(batch).scalars
        bn.eval()
        XCTAssertEqual(bn(batch).scalars, training)
        XCTAssertTrue(bn.buffers().isEmpty)
    }

    func testBatchNorm2dPerChannelStatisticsAndGradients() throws {
        let bn = BatchNorm2d(3)
        let x = (sampleInput([4, 3, 5, 5]) * 2 + 3).requiringGrad()
        let y = bn(x)
        // Each channel of the output is standardized over batch and space.
        for c in 0..<3 {
            let channel = y.sliced(dim: 1, start: c, end: c + 1).scalars
            let m = moments(channel)
            XCTAssertEqual(m.mean, 0, accuracy: 1e-5)
            XCTAssertEqual(m.variance, 1, accuracy: 1e-3)
        }
        (y * y.detached()).sum().backward()
        XCTAssertEqual(try XCTUnwrap(bn.weight?.grad).shape, [3])
        XCTAssertEqual(try XCTUnwrap(bn.bias?.grad).shape, [3])
        XCTAssertEqual(try XCTUnwrap(x.grad).shape, x.shape)
    }

    func testResetRunningStats() throws {
        let bn = BatchNorm1d(2)
        _ = bn(batch)
        bn.resetRunningStats()
        XCTAssertEqual(try XCTUnwrap(bn.runningMean).value.scalars, [0, 0])
        XCTAssertEqual(try XCTUnwrap(bn.runningVar).value.scalars, [1, 1])
        XCTAssertEqual(try XCTUnwrap(bn.numBatchesTracked).value.int64Scalars, [0])
    }

    func testModeFlipsThroughASequential() {
        let dropout = Dropout(0.5), bn = BatchNorm1d(3)
        let net = Sequential(Linear(3, 3), bn, dropout)
        net.eval()
        XCTAssertFalse(dropout.isTraining)
        XCTAssertFalse(bn.isTraining)
        let x = sampleInput([4, 3])
        XCTAssertEqual(net(x).scalars, net(x).scalars, "evaluation is deterministic")
        net.train()
        XCTAssertTrue(dropout.isTraining && bn.isTraining)
    }
}
