/// A configuration or command-line problem, naming the key and what was expected.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    /// A file or flag value that is not valid YAML.
    case unreadable(source: String, reason: String)
    /// `--config` names a file that cannot be read.
    case missingFile(path: String, reason: String)
    /// A key that the section does not have; `known` are the keys it does have.
    case unknownKey(key: String, known: [String])
    /// A value of the wrong kind (`expected`: "an integer", "true or false", …).
    case wrongType(key: String, expected: String, got: String)
    /// A value of the right kind outside what the key allows.
    case invalidValue(key: String, expected: String, got: String)
    /// A name (model, data, callback, logger) that is not registered.
    case unknownName(key: String, kind: String, name: String, choices: [String])
    /// A command line that cannot be understood.
    case usage(String)

    /// The key the problem is about, if any.
    public var key: String? {
        switch self {
        case .unknownKey(let key, _), .wrongType(let key, _, _), .invalidValue(let key, _, _), .unknownName(let key, _, _, _): return key
        default: return nil
        }
    }

    /// One line (two with a suggestion) that says what is wrong and what would be right.
    public var description: String {
        switch self {
        case .unreadable(let source, let reason):
            return "\(source): not valid YAML: \(reason)"
        case .missingFile(let path, let reason):
            return "--config \(path): cannot read the file (\(reason))"
        case .unknownKey(let key, let known):
            let leaf = String(key.split(separator: ".").last ?? Substring(key))
            let guesses = Suggestions.closest(to: leaf, among: known)
            let hint = guesses.isEmpty ? "" : "; did you mean \(Suggestions.list(guesses))?"
            let listed = known.isEmpty ? " (it takes no keys)" : known.count <= 12 ? " (known keys: \(known.joined(separator: ", ")))" : ""
            return "\(key): unknown key\(hint)\(guesses.isEmpty ? listed : "")"
        case .wrongType(let key, let expected, let got):
            return "\(key): expected \(expected), got \(got)"
        case .invalidValue(let key, let expected, let got):
            return "\(key): expected \(expected), got \(got)"
        case .unknownName(let key, let kind, let name, let choices):
            let guesses = Suggestions.closest(to: name, among: choices)
            let hint = guesses.isEmpty ? "" : "; did you mean \(Suggestions.list(guesses))?"
            return "\(key): unknown \(kind) '\(name)'\(hint) (choices: \(choices.joined(separator: ", ")))"
        case .usage(let message):
            return message
        }
    }
}
