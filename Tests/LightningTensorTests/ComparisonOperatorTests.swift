import XCTest
@testable import LightningTensor

/// `.==`, `.<`, … compare elementwise like the named methods, broadcast, and accept scalars.
final class ComparisonOperatorTests: XCTestCase {
    func testOperatorsMatchTheirDefinitionElementwise() {
        let a = Tensor([1, 2, 3, 4]), b = Tensor([4, 2, 1, 4])
        let pairs = Array(zip(a.scalars, b.scalars))
        func expected(_ f: (Float, Float) -> Bool) -> [Float] { pairs.map { f($0, $1) ? 1 : 0 } }
        XCTAssertEqual((a .== b).scalars, expected(==))
        XCTAssertEqual((a .!= b).scalars, expected(!=))
        XCTAssertEqual((a .< b).scalars, expected(<))
        XCTAssertEqual((a .<= b).scalars, expected(<=))
        XCTAssertEqual((a .> b).scalars, expected(>))
        XCTAssertEqual((a .>= b).scalars, expected(>=))
    }

    func testScalarsAndBroadcastingAndLabels() {
        let x = Tensor(shape: [2, 3], scalars: [-1, 0, 2, 3, -4, 0])
        XCTAssertEqual((x .> 0).scalars, x.scalars.map { $0 > 0 ? 1 : 0 })
        XCTAssertEqual((x .== Tensor([0, 0, 2])).shape, [2, 3], "broadcasts like arithmetic")
        let labels = Tensor(labels: [0, 2, 1]), predicted = Tensor(labels: [0, 1, 1])
        XCTAssertEqual((labels .== predicted).mean().item(), 2.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual((labels .>= 1).scalars, [0, 1, 1])
    }
}
