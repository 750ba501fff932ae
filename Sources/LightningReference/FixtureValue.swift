/// A fixture field whose JSON type varies from case to case (PyTorch keyword arguments,
/// hyperparameters), with the fixtures' spellings (`"inf"`). Not the library's `JSONValue`, which
/// is what checkpoints and callback state hold.
public enum FixtureValue: Decodable, Equatable, Sendable {
    /// A number (JSON does not tell integers from floats).
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// A string.
    case string(String)
    /// An array.
    case array([FixtureValue])
    /// An object.
    case object([String: FixtureValue])
    /// `null`.
    case null

    /// Decodes whichever JSON type is present.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([FixtureValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: FixtureValue].self)) }
    }

    /// The number, with the string `"inf"` (how the fixtures spell infinity) as `.infinity`.
    public var double: Double? {
        switch self {
        case .number(let n): return n
        case .string("inf"): return .infinity
        default: return nil
        }
    }
    /// The number as a float.
    public var float: Float? { double.map(Float.init) }
    /// The number, when it is a whole number.
    public var int: Int? { if case .number(let n) = self { return Int(exactly: n) } else { return nil } }
    /// The flag.
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    /// The string.
    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The elements of an array.
    public var array: [FixtureValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The members of an object.
    public var object: [String: FixtureValue]? { if case .object(let o) = self { return o } else { return nil } }
    /// The numbers of an array of numbers.
    public var doubles: [Double]? { array?.compactMap(\.double) }
    /// The whole numbers of an array of numbers.
    public var ints: [Int]? { array?.compactMap(\.int) }
}
