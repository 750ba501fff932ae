/// One key of a configuration section: its name, type, default, help and allowed values.
///
/// ```swift
/// let hidden = ConfigOption("hidden", default: 64, help: "units in the hidden layer", minimum: 1)
/// ```
public struct ConfigOption<Value: ConfigConvertible>: AnyConfigOption {
    /// The snake_case key.
    public let key: String
    /// The value when the configuration does not set one.
    public let defaultValue: Value
    /// One line for `--help`.
    public let help: String
    private let isValid: (@Sendable (Value) -> Bool)?
    private let expected: String?

    /// An option; `valid` limits its values and `expected` says what they may be (`an integer >= 1`).
    public init(_ key: String, default defaultValue: Value, help: String = "", valid: (@Sendable (Value) -> Bool)? = nil, expected: String? = nil) {
        self.key = key
        self.defaultValue = defaultValue
        self.help = help
        self.isValid = valid
        self.expected = expected
    }

    /// What a value must be: the type's description, or the one given with `valid`.
    public var expectedDescription: String { expected ?? Value.expectedDescription }

    /// The default as the configuration tree holds it.
    public var defaultConfigValue: ConfigValue { defaultValue.configValue }

    /// Reads `value` as this option's type, checks it, and returns it in canonical form.
    public func canonical(_ value: ConfigValue, at path: String) throws -> ConfigValue {
        try read(value, at: path).configValue
    }

    /// Reads `value`; throws naming `path` and what was expected.
    func read(_ value: ConfigValue, at path: String) throws -> Value {
        guard let typed = Value(config: value) else {
            if let choices = Value.choices, case .string(let name) = value {
                throw ConfigError.unknownName(key: path, kind: "value", name: name, choices: choices)
            }
            throw ConfigError.wrongType(key: path, expected: expectedDescription, got: value.shortDescription)
        }
        if let isValid, !isValid(typed) {
            throw ConfigError.invalidValue(key: path, expected: expectedDescription, got: value.shortDescription)
        }
        return typed
    }
}

extension ConfigOption where Value: Comparable {
    /// An option whose values must be at least `minimum` (and at most `maximum`, when given).
    public init(_ key: String, default defaultValue: Value, help: String = "", minimum: Value, maximum: Value? = nil) {
        let range = maximum.map { " and <= \($0)" } ?? ""
        self.init(key, default: defaultValue, help: help, valid: { $0 >= minimum && (maximum == nil || $0 <= maximum!) },
                  expected: "\(Value.expectedDescription) >= \(minimum)\(range)")
    }
}

/// An option of any value type: what sections validate against and `--help` lists.
public protocol AnyConfigOption: Sendable {
    /// The snake_case key.
    var key: String { get }
    /// One line for `--help`.
    var help: String { get }
    /// What a value must be, for errors and `--help`.
    var expectedDescription: String { get }
    /// The default as the configuration tree holds it.
    var defaultConfigValue: ConfigValue { get }
    /// `value` checked and in canonical form; throws naming `path` and what was expected.
    func canonical(_ value: ConfigValue, at path: String) throws -> ConfigValue
}
