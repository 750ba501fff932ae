@testable import Checksums
import XCTest

/// CRC-32C against its definition, published vectors and TensorBoard's masking; the processor's
/// instruction against the table-driven reference.
final class CRC32CTests: XCTestCase {
    /// CRC-32C from the definition, one bit at a time: reflected polynomial 0x82F63B78, register
    /// preset to all ones, final complement (RFC 3720 B.4).
    private func bitwise(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        }
        return ~c
    }

    func testCheckValueOfTheStandard() {
        // The "check" value every CRC catalogue lists for CRC-32C (the CRC of ASCII "123456789").
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0, "the empty message")
    }

    func testMatchesTheBitwiseDefinitionAtEveryLengthAndAlignment() {
        var rng = SystemRandomNumberGenerator()
        let data = (0..<300).map { _ in UInt8.random(in: 0...255, using: &rng) }
        // Offsets 0..<8 put the start at every alignment; lengths cross the 8-byte word loop.
        for offset in 0..<8 {
            for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 200] {
                let slice = Array(data[offset..<(offset + length)])
                data.withUnsafeBytes { raw in
                    let view = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])
                    XCTAssertEqual(CRC32C.checksum(view), bitwise(slice), "offset \(offset), length \(length)")
                }
            }
        }
    }

    func testLongBuffersSplitIntoStretchesMatchTheDefinition() {
        // Long enough for the three-stretch path, with tails of every length after it.
        var rng = SystemRandomNumberGenerator()
        let data = (0..<(3 * 4096 + 40)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        for length in [3 * 2048 - 1, 3 * 2048, 3 * 2048 + 7, 3 * 4096 + 1, 3 * 4096 + 23, data.count] {
            for offset in [0, 3] where offset + length <= data.count {
                let slice = Array(data[offset..<(offset + length)])
                XCTAssertEqual(CRC32C.checksum(slice), bitwise(slice), "offset \(offset), length \(length)")
            }
        }
        data.withUnsafeBytes { raw in
            XCTAssertEqual(CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[100...]), continuing: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<100]))),
                           bitwise(data), "continuing into the three-stretch path")
        }
    }

    func testCombiningAndTheTwoThreadPathMatchOneThread() {
        // One thread over the whole buffer is the reference; checked against the definition above.
        var rng = SystemRandomNumberGenerator()
        let data = (0..<(9 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        data.withUnsafeBytes { raw in
            let whole = CRC32C.checksum(raw)
            for split in [0, 1, 1000, raw.count / 2 + 3, raw.count] {
                let a = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<split]))
                let b = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[split...]))
                XCTAssertEqual(CRC32C.combine(a, b, lengthB: raw.count - split), whole, "split at \(split)")
            }
            for length in [4 << 20, (4 << 20) + 1, raw.count] {
                let part = UnsafeRawBufferPointer(rebasing: raw[..<length])
                XCTAssertEqual(CRC32C.parallelChecksum(part), CRC32C.checksum(part), "length \(length)")
            }
        }
        XCTAssertEqual(CRC32C.combine(CRC32C.checksum(Array("12345".utf8)), CRC32C.checksum(Array("6789".utf8)), lengthB: 4), 0xE306_9283)
    }

    func testContinuingOverChunksEqualsTheWhole() {
        let data = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        data.withUnsafeBytes { raw in
            for split in [0, 1, 5, 8, 333, 1000] {
                let first = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<split]))
                let both = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[split...]), continuing: first)
                XCTAssertEqual(both, CRC32C.checksum(raw), "split at \(split)")
            }
        }
    }

    func testPublishedVectors() {
        // RFC 3720 B.4.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    }

    func testMaskedChecksumMatchesTensorBoard() {
        // TensorBoard's own Python `masked_crc32c` gives these.
        XCTAssertEqual(CRC32C.masked([UInt8]()), 0xA282_EAD8)
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), 0xC78A_B0E5)
        XCTAssertEqual(CRC32C.masked([UInt8](repeating: 0xFF, count: 32)), 0xF909_B029)
    }

    func testProcessorInstructionMatchesTheTableAtEveryLengthAndAlignment() throws {
        try XCTSkipUnless(CRC32C.hardware, "this processor has no CRC-32C instruction (SSE4.2); the table-driven path is the one in use")
        var rng = SystemRandomNumberGenerator()
        let data = (0..<(3 * 8192 + 64)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        data.withUnsafeBytes { raw in
            for offset in 0..<8 {
                // Short tails, the one-stretch loop, and both sides of the three-stretch threshold.
                for length in [0, 1, 7, 8, 9, 63, 64, 65, 3 * 4096 - 8, 3 * 4096, 3 * 4096 + 8, 3 * 8192 + 17] where offset + length <= raw.count {
                    let view = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])
                    XCTAssertEqual(CRC32C.hardwareChecksum(view), CRC32C.softwareChecksum(view), "offset \(offset), length \(length)")
                    XCTAssertEqual(CRC32C.hardwareChecksum(view, continuing: 0x1234_5678), CRC32C.softwareChecksum(view, continuing: 0x1234_5678))
                }
            }
        }
    }
}
