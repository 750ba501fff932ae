import LightningTestSupport
import XCTest
@testable import LightningOptim

/// `clipGradNorm` and `clipGradValue` against PyTorch's `clip_grad_norm_` and `clip_grad_value_`.
final class GradientClippingTests: XCTestCase {
    struct Fixture: Decodable {
        struct Case: Decodable {
            let name: String
            let max_norm: Double?
            let norm_type: FixtureValue?
            let clip_value: Double?
            let grads_before: [FixtureTensor]
            let total_norm: Double?
            let grads_after: [FixtureTensor]
        }
        let clipping: [Case]
    }

    func testMatchesPyTorch() throws {
        let fixture = try loadFixture("optimizers", as: Fixture.self, bundle: .module)
        XCTAssertEqual(fixture.clipping.count, 3)
        for c in fixture.clipping {
            let parameters = c.grads_before.map { g -> Parameter in
                let p = Parameter(Tensor.zeros(g.shape))
                p.grad = g.tensor
                return p
            }
            if let clipValue = c.clip_value {
                clipGradValue(parameters, clipValue: clipValue)
            } else {
                let normType = try XCTUnwrap(c.norm_type?.double, c.name)
                let total = clipGradNorm(parameters, maxNorm: try XCTUnwrap(c.max_norm), normType: normType)
                XCTAssertEqual(Double(total), try XCTUnwrap(c.total_norm), accuracy: 1e-6 * c.total_norm!, c.name)
            }
            for (p, expected) in zip(parameters, c.grads_after) {
                assertClose(try XCTUnwrap(p.grad).scalars, expected.scalars, c.name)
            }
        }
    }

    func testSmallNormsAreLeftAloneAndMissingGradientsSkipped() {
        let a = Parameter(vec([0.3, 0.4])), b = Parameter(vec([7]))
        a.grad = vec([0.3, 0.4])
        XCTAssertEqual(clipGradNorm([a, b], maxNorm: 1), 0.5, accuracy: 1e-7)
        XCTAssertEqual(a.grad?.scalars, [0.3, 0.4])
        XCTAssertNil(b.grad)
        XCTAssertEqual(clipGradNorm([b], maxNorm: 1), 0)
        clipGradValue([a, b], clipValue: 0.35)
        XCTAssertEqual(a.grad?.scalars, [0.3, 0.35])
    }

    /// The clip coefficient is PyTorch's `maxNorm / (total + 1e-6)`, and other p-norms work.
    func testCoefficientAndOtherNorms() {
        let p = Parameter(vec([3, 4]))
        p.grad = vec([3, 4])
        XCTAssertEqual(clipGradNorm([p], maxNorm: 1, normType: 1), 7, accuracy: 1e-6)
        let coefficient = Float(1) / (Float(7) + 1e-6)
        XCTAssertEqual(p.grad?.scalars, [3 * coefficient, 4 * coefficient])
    }

    func testNaNNormPoisonsGradientsLikePyTorch() {
        let p = Parameter(vec([1, 2]))
        p.grad = vec([.nan, 1])
        XCTAssertTrue(clipGradNorm([p], maxNorm: 1).isNaN)
        XCTAssertTrue(p.grad!.scalars.allSatisfy(\.isNaN))
    }
}
