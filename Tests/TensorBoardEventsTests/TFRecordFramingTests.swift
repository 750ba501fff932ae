import XCTest
@testable import TensorBoardEvents

/// TFRecord framing (length, masked CRC of the length, data, masked CRC of the data) as
/// TensorBoard writes it.
final class TFRecordFramingTests: XCTestCase {
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
