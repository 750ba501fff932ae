import Foundation

/// A JSON value: what checkpoints keep in their metadata and callbacks keep as state.
///
/// Integers that must survive exactly (64-bit seeds, positions) are stored as strings by the
/// types that own them; `number` is a double, like JSON's own numbers.
public enum JSONValue: Codable, Equatable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; keys are written sorted.
    case object([String: JSONValue])

    /// Decodes any JSON value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value as JSON.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value as any `Encodable` encodes it.
    public init<T: Encodable>(encoding value: T) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: JSONCoding.encoder.encode(value))
    }

    /// Decodes this value as `T`.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONCoding.decoder.decode(T.self, from: JSONCoding.encoder.encode(self))
    }

    /// The value as compact JSON text with sorted keys.
    public var jsonText: String {
        // Encoding a JSONValue cannot fail: every case is plain JSON.
        String(decoding: (try? JSONCoding.encoder.encode(self)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// Parses JSON text.
    public init(parsing text: String) throws {
        self = try JSONCoding.decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    /// The number, when this is one.
    public var number: Double? { if case .number(let v) = self { return v } else { return nil } }
    /// The string, when this is one.
    public var string: String? { if case .string(let v) = self { return v } else { return nil } }
    /// The object's member `key`, when this is an object that has it.
    public subscript(key: String) -> JSONValue? { if case .object(let o) = self { return o[key] } else { return nil } }
}

/// The JSON coders checkpoints use: sorted keys (stable files), non-finite numbers as strings.
enum JSONCoding {
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
