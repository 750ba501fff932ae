import XCTest
@testable import LightningTensor

final class GeneratorTests: XCTestCase {
    /// Known-answer vectors of Philox4x32-10 from the Random123 distribution.
    func testPhiloxKnownAnswers() {
        let zero = Generator.philoxBlock((0, 0, 0, 0), key: (0, 0))
        XCTAssertEqual([zero.0, zero.1, zero.2, zero.3], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = Generator.philoxBlock((.max, .max, .max, .max), key: (.max, .max))
        XCTAssertEqual([ones.0, ones.1, ones.2, ones.3], [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = Generator.philoxBlock((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0))
        XCTAssertEqual([pi.0, pi.1, pi.2, pi.3], [0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1])
    }

    func testSameSeedSameStreamAndStateRestores() {
        let a = Generator(seed: 42), b = Generator(seed: 42), c = Generator(seed: 43)
        let xa = (0..<10).map { _ in a.nextUInt32() }
        XCTAssertEqual(xa, (0..<10).map { _ in b.nextUInt32() })
        XCTAssertNotEqual(xa, (0..<10).map { _ in c.nextUInt32() })
        let saved = a.state
        let next = (0..<7).map { _ in a.nextUInt32() }
        a.state = saved
        XCTAssertEqual(next, (0..<7).map { _ in a.nextUInt32() })
        a.manualSeed(42)
        XCTAssertEqual(xa, (0..<10).map { _ in a.nextUInt32() })
    }

    func testDistributions() {
        let g = Generator(seed: 7)
        let u = Tensor.rand([100_000], generator: g).scalars
        XCTAssertTrue(u.allSatisfy { $0 >= 0 && $0 < 1 })
        XCTAssertEqual(Double(u.reduce(0, +)) / 1e5, 0.5, accuracy: 0.01)
        let n = Tensor.randn([100_001], mean: 2, std: 3, generator: g).scalars
        let mean = n.reduce(0.0) { $0 + Double($1) } / Double(n.count)
        let variance = n.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n.count)
        XCTAssertEqual(mean, 2, accuracy: 0.05)
        XCTAssertEqual(variance.squareRoot(), 3, accuracy: 0.05)
        let r = Tensor.randint(-3, 5, [10_000], generator: g).int64Scalars
        XCTAssertEqual(Set(r), Set(-3..<5))
        let p = Tensor.randperm(50, generator: g).int64Scalars
        XCTAssertEqual(p.sorted(), (0..<50).map { Int64($0) })
        XCTAssertNotEqual(p, (0..<50).map { Int64($0) })
    }
}
