import XCTest
@testable import TensorBoardEvents

/// CRC-32C and its TFRecord masking against published vectors (RFC 3720 B.4) and the values
/// TensorBoard's own Python `masked_crc32c` gives.
final class CRC32CTests: XCTestCase {
    func testChecksumMatchesKnownVectors() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    }

    func testMaskedChecksumMatchesTensorBoard() {
        XCTAssertEqual(CRC32C.masked([UInt8]()), 0xA282_EAD8)
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), 0xC78A_B0E5)
        XCTAssertEqual(CRC32C.masked([UInt8](repeating: 0xFF, count: 32)), 0xF909_B029)
    }

    func testRecordFramingMatchesTensorBoard() {
        var buffer: [UInt8] = []
        TFRecord.append(Array("123456789".utf8), to: &buffer)
        let expected: [UInt8] = [9, 0, 0, 0, 0, 0, 0, 0]  // length
            + [0x37, 0xF9, 0x71, 0x39]  // masked CRC of the length
            + Array("123456789".utf8)
            + [0xE5, 0xB0, 0x8A, 0xC7]  // masked CRC of the data
        XCTAssertEqual(buffer, expected)
    }
}
