import Foundation
import Lightning

/// A type an option's value can be read as from the configuration tree and written back to it.
///
/// Reading is lenient where the command line needs it: `--trainer.max_epochs 5` arrives as the
/// text `5` and reads as the integer 5.
public protocol ConfigConvertible: Sendable {
    /// What a value must look like, for error messages: `an integer`.
    static var expectedDescription: String { get }
    /// The allowed values, when there is a fixed set (errors then suggest the closest).
    static var choices: [String]? { get }
    /// The value `config` holds, or `nil` when it is not one of this type.
    init?(config: ConfigValue)
    /// The value as the configuration tree holds it.
    var configValue: ConfigValue { get }
}

extension ConfigConvertible {
    /// No fixed set.
    public static var choices: [String]? { nil }
}

/// Text that reads as null: YAML's spellings and Python's.
func isNullText(_ text: String) -> Bool { ["null", "Null", "NULL", "~", "None", ""].contains(text) }

extension Int: ConfigConvertible {
    /// `an integer`.
    public static var expectedDescription: String { "an integer" }
    /// An integer, or text that is one.
    public init?(config: ConfigValue) {
        switch config {
        case .int(let i): self = i
        case .string(let s): guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else { return nil }; self = i
        default: return nil
        }
    }
    /// `.int`.
    public var configValue: ConfigValue { .int(self) }
}

extension UInt64: ConfigConvertible {
    /// `an integer >= 0`.
    public static var expectedDescription: String { "an integer >= 0" }
    /// A non-negative integer.
    public init?(config: ConfigValue) {
        guard let i = Int(config: config), i >= 0 else { return nil }
        self = UInt64(i)
    }
    /// `.int` (seeds above Int.max are written as their bit pattern).
    public var configValue: ConfigValue { .int(Int(truncatingIfNeeded: self)) }
}

extension Double: ConfigConvertible {
    /// `a number`.
    public static var expectedDescription: String { "a number" }
    /// A number, or text that is one (`1e-3`, `inf`).
    public init?(config: ConfigValue) {
        switch config {
        case .int(let i): self = Double(i)
        case .double(let d): self = d
        case .string(let s):
            let t = s.trimmingCharacters(in: .whitespaces)
            switch t.lowercased() {
            case ".inf", "+.inf": self = .infinity
            case "-.inf": self = -.infinity
            case ".nan": self = .nan
            default: guard let d = Double(t) else { return nil }; self = d
            }
        default: return nil
        }
    }
    /// `.double`.
    public var configValue: ConfigValue { .double(self) }
}

extension Float: ConfigConvertible {
    /// `a number`.
    public static var expectedDescription: String { "a number" }
    /// A number.
    public init?(config: ConfigValue) {
        guard let d = Double(config: config) else { return nil }
        self = Float(d)
    }
    /// `.double`, printed as the shortest text of the float (`0.001`, not `0.0010000000474974513`).
    public var configValue: ConfigValue { .double(Double("\(self)") ?? Double(self)) }
}

extension Bool: ConfigConvertible {
    /// `true or false`.
    public static var expectedDescription: String { "true or false" }
    /// `true`/`false` (and YAML's yes/no/on/off).
    public init?(config: ConfigValue) {
        switch config {
        case .bool(let b): self = b
        case .string(let s):
            switch s.lowercased() {
            case "true", "yes", "on": self = true
            case "false", "no", "off": self = false
            default: return nil
            }
        default: return nil
        }
    }
    /// `.bool`.
    public var configValue: ConfigValue { .bool(self) }
}

extension String: ConfigConvertible {
    /// `text`.
    public static var expectedDescription: String { "text" }
    /// Text; a number or flag is taken as the text it was written as.
    public init?(config: ConfigValue) {
        switch config {
        case .string(let s): self = s
        case .int(let i): self = "\(i)"
        case .double(let d): self = ConfigValue.yamlNumber(d)
        case .bool(let b): self = b ? "true" : "false"
        default: return nil
        }
    }
    /// `.string`.
    public var configValue: ConfigValue { .string(self) }
}

extension Optional: ConfigConvertible where Wrapped: ConfigConvertible {
    /// The wrapped type's description, `or null`.
    public static var expectedDescription: String { "\(Wrapped.expectedDescription) or null" }
    /// The wrapped type's choices.
    public static var choices: [String]? { Wrapped.choices }
    /// `null` (or text that reads as null), else the wrapped value.
    public init?(config: ConfigValue) {
        switch config {
        case .null: self = .none
        case .string(let s) where isNullText(s) && Wrapped.self != String.self: self = .none
        case .string(let s) where Wrapped.self == String.self && ["null", "None", "~"].contains(s): self = .none
        default:
            guard let value = Wrapped(config: config) else { return nil }
            self = .some(value)
        }
    }
    /// `.null` or the wrapped value's.
    public var configValue: ConfigValue { self?.configValue ?? .null }
}

extension Array: ConfigConvertible where Element: ConfigConvertible {
    /// `a list of …`.
    public static var expectedDescription: String { "a list of \(Element.expectedDescription)s" }
    /// A list; one value, or comma-separated text (`128,64` on the command line), is a list too.
    public init?(config: ConfigValue) {
        switch config {
        case .list(let items):
            var result: [Element] = []
            for item in items {
                guard let value = Element(config: item) else { return nil }
                result.append(value)
            }
            self = result
        case .string(let s) where s.contains(","):
            self.init(config: .list(s.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }))
        case .null, .mapping: return nil
        default:
            guard let value = Element(config: config) else { return nil }
            self = [value]
        }
    }
    /// `.list`.
    public var configValue: ConfigValue { .list(map(\.configValue)) }
}

extension BatchLimit: ConfigConvertible {
    /// Lightning's int-or-float.
    public static var expectedDescription: String { "a batch count (an integer) or a fraction in [0, 1] (a float such as 0.25)" }
    /// An integer is a count, a float a fraction (`1` is one batch, `1.0` all of them).
    public init?(config: ConfigValue) {
        switch config {
        case .int(let i): self = .count(i)
        case .double(let d): self = .fraction(d)
        case .string(let s):
            if let i = Int(s) { self = .count(i) } else if let d = Double(s) { self = .fraction(d) } else { return nil }
        default: return nil
        }
    }
    /// `.int` or `.double`.
    public var configValue: ConfigValue {
        switch self {
        case .count(let n): return .int(n)
        case .fraction(let f): return .double(f)
        }
    }
}

/// A string enum whose cases the configuration names by raw value, case-insensitively; errors
/// suggest the closest case. `CaseIterable` enums get `choiceCases` for free:
/// `enum Pooling: String, CaseIterable, ConfigChoice { case max, mean }`.
public protocol ConfigChoice: ConfigConvertible, RawRepresentable where RawValue == String {
    /// The cases, in the order errors and `--help` list them.
    static var choiceCases: [Self] { get }
}

extension ConfigChoice {
    /// `one of a, b, c`.
    public static var expectedDescription: String { "one of " + choiceCases.map(\.rawValue).joined(separator: ", ") }
    /// The raw values.
    public static var choices: [String]? { choiceCases.map(\.rawValue) }
    /// The case whose raw value matches.
    public init?(config: ConfigValue) {
        guard let text = String(config: config), let match = Self.choiceCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            return nil
        }
        self = match
    }
    /// `.string(rawValue)`.
    public var configValue: ConfigValue { .string(rawValue) }
}

extension ConfigChoice where Self: CaseIterable {
    /// Every case.
    public static var choiceCases: [Self] { Array(allCases) }
}
