import Foundation
import LightningInterop
import LightningTensor
import XCTest

/// 10,000 damaged copies of the committed checkpoint (byte flips, truncations, both; seeded)
/// each give an error or a checkpoint, never a crash: a crash would end the test process.
final class MutatedCheckpointTests: XCTestCase {
    /// SplitMix64: a small seeded generator so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testTenThousandMutationsNeverCrash() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: LightningCheckpointTests.fixture("small")))
        var generator = SplitMix(state: 20_261_202)
        var failures = 0
        var reads = 0
        let started = Date()
        for round in 0..<10_000 {
            var bytes = [UInt8](original)
            switch round % 4 {
            case 0, 1:
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
            case 2:
                bytes.removeLast(Int.random(in: 1..<bytes.count, using: &generator))
            default:
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= 1 << UInt8.random(in: 0..<8, using: &generator)
                bytes.removeLast(Int.random(in: 0..<64, using: &generator))
            }
            do {
                let ckpt = try LightningCheckpoint.read(data: Data(bytes), name: "mutation \(round)")
                reads += ckpt.stateDict.values.reduce(0) { $0 + $1.count } >= 0 ? 1 : 0
            } catch is TorchCheckpointError {
                failures += 1
            }
        }
        XCTAssertEqual(failures + reads, 10_000)
        XCTAssertGreaterThan(failures, 2_500)
        print("mutations: \(failures) refused, \(reads) still read, \(Int(Date().timeIntervalSince(started) * 1000)) ms")
    }

    /// Byte changes aimed at the pickle alone (opcodes, lengths, memo indices): 5,000 more.
    func testPickleMutationsNeverCrash() throws {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: LightningCheckpointTests.fixture("small"))))
        let start = try XCTUnwrap((0..<(original.count - 3)).first { original[$0] == 0x80 && original[$0 + 1] == 2 && original[$0 + 2] == 0x7D })
        var generator = SplitMix(state: 7)
        var outcomes = 0
        for round in 0..<5_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                bytes[start + Int.random(in: 0..<1_200, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                _ = try LightningCheckpoint.read(data: Data(bytes), name: "pickle mutation \(round)")
            } catch is TorchCheckpointError {}
            outcomes += 1
        }
        XCTAssertEqual(outcomes, 5_000)
    }
}
