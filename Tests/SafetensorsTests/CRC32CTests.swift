import Safetensors
import XCTest

/// The slicing-by-8 CRC-32C against its definition.
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
}
