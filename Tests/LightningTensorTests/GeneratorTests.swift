import Foundation
import Synchronization
import XCTest
@testable import LightningTensor

final class GeneratorTests: XCTestCase {
    /// Known-answer vectors of Philox4x32-10 from the Random123 distribution.
    func testPhiloxKnownAnswers() {
        let zero = PhiloxStream.philoxBlock((0, 0, 0, 0), key: (0, 0))
        XCTAssertEqual([zero.0, zero.1, zero.2, zero.3], [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
        let ones = PhiloxStream.philoxBlock((.max, .max, .max, .max), key: (.max, .max))
        XCTAssertEqual([ones.0, ones.1, ones.2, ones.3], [0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd])
        let pi = PhiloxStream.philoxBlock((0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344), key: (0xa409_3822, 0x299f_31d0))
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

    /// The state a checkpoint stores: 64-bit fields as JSON strings, restored exactly.
    func testStateEncodesItsFieldsAsStringsAndRestoresTheStream() throws {
        let g = Generator(seed: 42)
        _ = (0..<1024).map { _ in g.nextUInt32() }
        XCTAssertEqual(g.state, Generator.State(seed: 42, position: 1024))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertEqual(String(decoding: try encoder.encode(g.state), as: UTF8.self), #"{"position":"1024","seed":"42"}"#)

        let big = Generator.State(seed: .max, position: (1 << 60) + 3)
        let json = try encoder.encode(big)
        XCTAssertEqual(try JSONDecoder().decode(Generator.State.self, from: json), big, "above 2^53, where JSON numbers lose digits")

        let restored = Generator(seed: 0)
        restored.state = try JSONDecoder().decode(Generator.State.self, from: try encoder.encode(g.state))
        XCTAssertEqual((0..<9).map { _ in restored.nextUInt32() }, (0..<9).map { _ in g.nextUInt32() })

        XCTAssertThrowsError(try JSONDecoder().decode(Generator.State.self, from: Data(#"{"seed":42,"position":"0"}"#.utf8)))
        XCTAssertThrowsError(try JSONDecoder().decode(Generator.State.self, from: Data(#"{"seed":"-1","position":"0"}"#.utf8)))
    }

    /// A generator shared by threads hands every word of its stream out exactly once (its lock);
    /// a thread that owns its generator gets the same stream as a single-threaded run.
    func testThreadsSharingAGeneratorDrawDisjointPartsOfItsStream() {
        let shared = Generator(seed: 9)
        let perThread = 20_000, threads = 4
        let drawnByThread = Mutex([[UInt32]](repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var mine: [UInt32] = []
            mine.reserveCapacity(perThread)
            for i in 0..<perThread {
                // Mix single draws and bulk operations, which take the lock once for many numbers.
                if i % 1000 == 0 {
                    mine += shared.withStream { s in (0..<8).map { _ in s.nextUInt32() } }
                } else {
                    mine.append(shared.nextUInt32())
                }
            }
            drawnByThread.withLock { $0[t] = mine }
        }
        let drawn = drawnByThread.withLock { $0 }
        let total = drawn.map(\.count).reduce(0, +)
        XCTAssertEqual(shared.position, UInt64(total))
        let reference = Generator(seed: 9)
        let sequential = (0..<total).map { _ in reference.nextUInt32() }
        XCTAssertEqual(drawn.flatMap { $0 }.sorted(), sequential.sorted(), "no word lost or drawn twice")

        let ownedByThread = Mutex([[Float]](repeating: [], count: threads))
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let values = Tensor.rand([1000], generator: Generator(seed: UInt64(t))).scalars
            ownedByThread.withLock { $0[t] = values }
        }
        let owned = ownedByThread.withLock { $0 }
        for t in 0..<threads { XCTAssertEqual(owned[t], Tensor.rand([1000], generator: Generator(seed: UInt64(t))).scalars) }
    }
}
