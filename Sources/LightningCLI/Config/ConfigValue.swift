/// A value of the CLI's configuration tree, as YAML has them: scalars, lists and mappings whose
/// keys keep their order (so printed configs read in the order the schema declares).
public enum ConfigValue: Equatable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// Text.
    case string(String)
    /// A sequence.
    case list([ConfigValue])
    /// Keys and values in order.
    case mapping(ConfigMapping)

    /// The mapping, if this is one.
    public var mapping: ConfigMapping? {
        if case .mapping(let m) = self { return m }
        return nil
    }

    /// How the value reads in an error message: `'five'`, `5`, `a list`, `a mapping`.
    var shortDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .double(let d): return "\(d)"
        case .string(let s): return Double(s) != nil ? s : "'\(s)'"
        case .list, .mapping:
            let text = inlineText
            return text.count <= 60 ? text : (self.mapping == nil ? "a list" : "a mapping")
        }
    }
}

/// An ordered string-keyed mapping.
public struct ConfigMapping: Equatable, Sendable {
    /// The keys in order.
    public private(set) var keys: [String] = []
    private var values: [String: ConfigValue] = [:]

    /// An empty mapping.
    public init() {}

    /// A mapping of `pairs` in order (a later duplicate replaces the earlier value).
    public init(_ pairs: [(String, ConfigValue)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The value of `key`; setting `nil` removes it.
    public subscript(key: String) -> ConfigValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if values.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// The pairs in order.
    public var pairs: [(key: String, value: ConfigValue)] { keys.map { ($0, values[$0]!) } }

    /// Whether there are no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// Equal when the same keys map to equal values, in any order.
    public static func == (a: ConfigMapping, b: ConfigMapping) -> Bool { a.values == b.values }
}
