import Foundation

/// One hyperparameter: what `saveHyperparameters` records, `hparams.yaml` and checkpoints hold.
public enum HyperparameterSetting: Codable, Equatable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A string.
    case string(String)
    /// A flag.
    case bool(Bool)

    /// An integer literal.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    /// The setting for a stored property's value, when it is a scalar a config file can hold.
    ///
    /// A `Float` goes through its shortest decimal spelling, so `1e-3` stays `0.001` rather than
    /// the nearest double `0.0010000000474974513`.
    init?(reflecting value: Any) {
        switch value {
        case let v as Int: self = .int(v)
        case let v as Int64: self = .int(Int(v))
        case let v as Int32: self = .int(Int(v))
        case let v as UInt64: self = .int(Int(truncatingIfNeeded: v))
        case let v as Double: self = .double(v)
        case let v as Float: self = .double(Double("\(v)") ?? Double(v))
        case let v as Bool: self = .bool(v)
        case let v as String: self = .string(v)
        default: return nil
        }
    }

    /// Decodes a JSON integer, number, string or boolean.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let v = try? container.decode(Bool.self) { self = .bool(v) }
        else if let v = try? container.decode(Int.self) { self = .int(v) }
        else if let v = try? container.decode(Double.self) { self = .double(v) }
        else { self = .string(try container.decode(String.self)) }
    }

    /// Encodes as a bare JSON value.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let v): try container.encode(v)
        case .double(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .bool(let v): try container.encode(v)
        }
    }

    /// The value as YAML writes it (`0.1`, `8`, `true`, `adam`).
    public var description: String {
        switch self {
        case .int(let v): return "\(v)"
        case .double(let v): return "\(v)"
        case .string(let v): return v
        case .bool(let v): return "\(v)"
        }
    }

    /// The value as an integer, when it is an integer (or a double with no fraction).
    public var intValue: Int? {
        switch self {
        case .int(let v): return v
        case .double(let v): return v.rounded() == v && abs(v) < 0x1p62 ? Int(v) : nil
        default: return nil
        }
    }

    /// The value as a double, when it is a number.
    public var doubleValue: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }
}

/// Hyperparameters by name, as `self.hparams` in Lightning.
public typealias Hyperparameters = [String: HyperparameterSetting]

extension Dictionary where Key == String, Value == HyperparameterSetting {
    /// The hyperparameters as `hparams.yaml` holds them: one `key: value` line each, keys sorted
    /// (PyYAML's default order, which Lightning's file has).
    public var yamlText: String {
        keys.sorted().map { key -> String in
            let value = self[key]!
            if case .string(let text) = value, YAMLScalar.needsQuotes(text) {
                return "\(key): \(YAMLScalar.quoted(text))\n"
            }
            return "\(key): \(value)\n"
        }.joined()
    }
}

/// Plain-scalar rules of YAML, for the few files the Trainer writes by hand.
enum YAMLScalar {
    /// Whether `text` would read back as something other than this string.
    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty || Double(text) != nil { return true }
        if ["true", "false", "yes", "no", "null", "~", "on", "off"].contains(text.lowercased()) { return true }
        return text.contains(where: { ":#{}[],&*!|>'\"%@`\n".contains($0) }) || text.first == " " || text.last == " " || text.first == "-"
    }

    /// `text` in single quotes, quotes doubled.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
