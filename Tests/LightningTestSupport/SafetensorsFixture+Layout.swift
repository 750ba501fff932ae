import Foundation

extension SafetensorsFixture {
    /// Where each tensor's bytes lie in a whole safetensors file, read from the header with
    /// Foundation's JSON parser (independent of the codec under test): name → absolute byte range.
    public static func tensorRanges(in file: [UInt8]) throws -> [String: Range<Int>] {
        let length = Int(integers(Array(file[0..<8]), as: UInt64.self)[0])
        let json = try JSONSerialization.jsonObject(with: Data(file[8..<(8 + length)])) as? [String: Any] ?? [:]
        var ranges: [String: Range<Int>] = [:]
        for (name, value) in json where name != "__metadata__" {
            guard let offsets = (value as? [String: Any])?["data_offsets"] as? [Int], offsets.count == 2 else { continue }
            ranges[name] = (8 + length + offsets[0])..<(8 + length + offsets[1])
        }
        return ranges
    }

    /// The `__metadata__` map of a whole safetensors file, read with Foundation's JSON parser.
    public static func metadata(in file: [UInt8]) throws -> [String: String] {
        let length = Int(integers(Array(file[0..<8]), as: UInt64.self)[0])
        let json = try JSONSerialization.jsonObject(with: Data(file[8..<(8 + length)])) as? [String: Any] ?? [:]
        return json["__metadata__"] as? [String: String] ?? [:]
    }
}
