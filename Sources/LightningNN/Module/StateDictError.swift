/// Why `loadStateDict` refused a state dict; lists every problem, not just the first.
public struct StateDictError: Error, Equatable, CustomStringConvertible {
    /// A key present on both sides whose shapes differ.
    public struct ShapeMismatch: Equatable, Sendable {
        /// The state-dict key.
        public var key: String
        /// The shape in the module.
        public var expected: [Int]
        /// The shape in the loaded state dict.
        public var actual: [Int]
    }

    /// Keys the module has but the state dict lacks (an error only when strict).
    public var missingKeys: [String]
    /// Keys the state dict has but the module lacks (an error only when strict).
    public var unexpectedKeys: [String]
    /// Keys whose shapes differ (always an error, as in PyTorch).
    public var shapeMismatches: [ShapeMismatch]
    /// Keys whose values cannot be converted to the module's dtype (e.g. NaN into an int64 buffer), with the reason.
    public var invalidValues: [String: String]

    /// Creates an error from its lists.
    public init(missingKeys: [String] = [], unexpectedKeys: [String] = [],
                shapeMismatches: [ShapeMismatch] = [], invalidValues: [String: String] = [:]) {
        self.missingKeys = missingKeys
        self.unexpectedKeys = unexpectedKeys
        self.shapeMismatches = shapeMismatches
        self.invalidValues = invalidValues
    }

    /// Whether there is nothing to report.
    var isEmpty: Bool { missingKeys.isEmpty && unexpectedKeys.isEmpty && shapeMismatches.isEmpty && invalidValues.isEmpty }

    /// A message in PyTorch's style, one clause per kind of problem.
    public var description: String {
        var parts: [String] = []
        if !missingKeys.isEmpty { parts.append("missing keys: " + missingKeys.map { "\"\($0)\"" }.joined(separator: ", ")) }
        if !unexpectedKeys.isEmpty { parts.append("unexpected keys: " + unexpectedKeys.map { "\"\($0)\"" }.joined(separator: ", ")) }
        for m in shapeMismatches {
            parts.append("size mismatch for \(m.key): copying a param with shape \(m.actual) from checkpoint, the shape in current model is \(m.expected)")
        }
        for key in invalidValues.keys.sorted() { parts.append("invalid value for \(key): \(invalidValues[key]!)") }
        return "Error(s) in loading state dict: " + parts.joined(separator: "; ")
    }
}

/// What a non-strict `loadStateDict` left out.
public struct StateDictLoadResult: Equatable, Sendable {
    /// Keys of the module that the state dict did not provide (left unchanged).
    public var missingKeys: [String]
    /// Keys in the state dict that the module does not have (ignored).
    public var unexpectedKeys: [String]
}
