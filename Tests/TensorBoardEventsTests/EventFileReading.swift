import Checksums
import Foundation
import SwiftProtobuf
@testable import TensorBoardEvents

/// Reads an event file back, checking the TFRecord framing independently of the writer.
enum EventFileReading {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    /// The records in `bytes`, throwing on truncation or a CRC that does not match.
    static func records(_ bytes: [UInt8]) throws -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw Malformed(description: "truncated header at \(offset)") }
            let lengthBytes = Array(bytes[offset..<offset + 8])
            let length = Int(littleEndian(lengthBytes, as: UInt64.self))
            guard littleEndian(Array(bytes[offset + 8..<offset + 12]), as: UInt32.self) == CRC32C.masked(lengthBytes) else {
                throw Malformed(description: "bad length CRC at \(offset)")
            }
            let start = offset + 12
            guard start + length + 4 <= bytes.count else { throw Malformed(description: "truncated record at \(offset)") }
            let data = Array(bytes[start..<start + length])
            guard littleEndian(Array(bytes[start + length..<start + length + 4]), as: UInt32.self) == CRC32C.masked(data) else {
                throw Malformed(description: "bad data CRC at \(offset)")
            }
            records.append(data)
            offset = start + length + 4
        }
        return records
    }

    /// The events in the file at `path`.
    static func events(atPath path: String) throws -> [Tensorboard_Event] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return try records(bytes).map { try Tensorboard_Event(serializedBytes: $0) }
    }

    private static func littleEndian<Value: FixedWidthInteger>(_ bytes: [UInt8], as: Value.Type) -> Value {
        bytes.reversed().reduce(Value.zero) { ($0 << 8) | Value($1) }
    }
}
