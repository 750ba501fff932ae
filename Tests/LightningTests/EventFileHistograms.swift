import Foundation
import SwiftProtobuf
@testable import TensorBoardEvents

/// The histogram events of a TensorBoard event file, decoded with the generated protobuf types
/// (TensorBoardEventsTests checks the record framing and CRCs; this reads lengths only).
struct EventFileHistograms {
    /// One histogram event.
    struct Entry {
        let step: Int
        let histogram: Tensorboard_HistogramProto
    }

    /// Tag → its histograms in file order.
    var byTag: [String: [Entry]] = [:]

    init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var offset = 0
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<offset + 8].reversed().reduce(0) { ($0 << 8) | Int($1) }
            let start = offset + 12
            let event = try Tensorboard_Event(serializedBytes: Array(bytes[start..<start + length]))
            for value in event.summary.value {
                if case .histo(let histogram)? = value.value {
                    byTag[value.tag, default: []].append(Entry(step: Int(event.step), histogram: histogram))
                }
            }
            offset = start + length + 4
        }
    }
}
