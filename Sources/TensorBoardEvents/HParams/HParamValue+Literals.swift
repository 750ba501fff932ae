// Literals let callers write `["lr": 0.01, "layers": 3, "optimizer": "adam", "amsgrad": true]`.

extension HParamValue: ExpressibleByFloatLiteral {
    /// A number from a floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension HParamValue: ExpressibleByIntegerLiteral {
    /// A number from an integer literal.
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension HParamValue: ExpressibleByStringLiteral {
    /// Text from a string literal.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension HParamValue: ExpressibleByBooleanLiteral {
    /// A flag from a boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
