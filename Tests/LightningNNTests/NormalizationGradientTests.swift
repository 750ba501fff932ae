import LightningTestSupport
import XCTest
@testable import LightningNN

/// BatchNorm and LayerNorm gradients against values computed by hand, with other tensors allocated
/// between forward and backward as in a real training step (where the statistics saved by the
/// forward pass must survive).
final class NormalizationGradientTests: XCTestCase {
    /// x̂ for each column of a row-major `rows × columns` matrix (batch statistics, biased variance).
    private func standardizedColumns(_ x: [Float], rows: Int, columns: Int, eps: Double = 1e-5) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        for j in 0..<columns {
            let column = (0..<rows).map { Double(x[$0 * columns + j]) }
            let mean = column.reduce(0, +) / Double(rows)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows)
            for i in 0..<rows { out[i * columns + j] = (column[i] - mean) / (variance + eps).squareRoot() }
        }
        return out
    }

    func testBatchNormParameterGradientsSurviveAllocationsBeforeBackward() throws {
        let bn = BatchNorm1d(3)
        let x = sampleInput([4, 3], seed: 21)
        let c = sampleInput([4, 3], seed: 22)
        let y = bn(x)
        let scratch = (0..<4).map { _ in Tensor.full([3], 1000) }  // same size as the per-channel statistics
        (y * c).sum().backward()
        let xhat = standardizedColumns(x.scalars, rows: 4, columns: 3)
        let cs = c.scalars
        var expectedWeight = [Float](repeating: 0, count: 3), expectedBias = [Float](repeating: 0, count: 3)
        for j in 0..<3 {
            var weightSum = 0.0, biasSum = 0.0
            for i in 0..<4 {
                weightSum += Double(cs[i * 3 + j]) * xhat[i * 3 + j]
                biasSum += Double(cs[i * 3 + j])
            }
            expectedWeight[j] = Float(weightSum)
            expectedBias[j] = Float(biasSum)
        }
        assertClose(try XCTUnwrap(bn.weight?.grad).scalars, expectedWeight, rtol: 0, atol: 1e-4, "dL/dγ = Σ c·x̂")
        assertClose(try XCTUnwrap(bn.bias?.grad).scalars, expectedBias, rtol: 0, atol: 1e-4, "dL/dβ = Σ c")
        XCTAssertEqual(scratch.count, 4)
    }

    func testBatchNormInputGradientSurvivesAllocationsBeforeBackward() throws {
        // With L = Σ y, dL/dx = γ/σ · (1 − 1/M − x̂·Σx̂/M) = 0 for every element, since Σ x̂ = 0.
        let bn = BatchNorm1d(3)
        let x = sampleInput([5, 3], seed: 23).requiringGrad()
        let y = bn(x)
        let scratch = (0..<4).map { _ in Tensor.full([3], 1000) }
        y.sum().backward()
        assertClose(try XCTUnwrap(x.grad).scalars, [Float](repeating: 0, count: 15), rtol: 0, atol: 1e-4)
        XCTAssertEqual(scratch.count, 4)
    }

    func testLayerNormParameterGradientsSurviveAllocationsBeforeBackward() throws {
        let norm = LayerNorm(3)
        let x = sampleInput([4, 3], seed: 24)
        let c = sampleInput([4, 3], seed: 25)
        let y = norm(x)
        let scratch = (0..<4).map { _ in Tensor.full([4], 1000) }  // same size as the per-row statistics
        (y * c).sum().backward()
        // LayerNorm standardizes rows: the transpose's columns.
        let xs = x.scalars
        let transposed = (0..<12).map { xs[($0 % 4) * 3 + $0 / 4] }
        let xhatT = standardizedColumns(transposed, rows: 3, columns: 4)
        let cs = c.scalars
        var expectedWeight = [Float](repeating: 0, count: 3)
        for j in 0..<3 {
            var sum = 0.0
            for i in 0..<4 { sum += Double(cs[i * 3 + j]) * xhatT[j * 4 + i] }
            expectedWeight[j] = Float(sum)
        }
        assertClose(try XCTUnwrap(norm.weight?.grad).scalars, expectedWeight, rtol: 0, atol: 1e-4, "dL/dγ = Σ c·x̂")
        XCTAssertEqual(scratch.count, 4)
    }
}
