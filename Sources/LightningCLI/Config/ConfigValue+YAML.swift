import Foundation
import Yams

/// Reading configuration from YAML text and writing it back.
extension ConfigValue {
    /// Parses one YAML document (an empty document is an empty mapping); `source` names the
    /// text in errors (a file path, or the flag it came from).
    public init(yaml text: String, source: String) throws {
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.unreadable(source: source, reason: Self.describe(error))
        }
        guard let node else {
            self = .mapping(ConfigMapping())
            return
        }
        self = try Self(node: node, source: source)
    }

    private init(node: Yams.Node, source: String) throws {
        switch node {
        case .scalar(let scalar):
            // Quoted text is text; plain scalars resolve as YAML 1.1 does (PyYAML's reading, so
            // a LightningCLI config means the same here).
            guard scalar.style == .plain || scalar.style == .any else {
                self = .string(scalar.string)
                return
            }
            switch Resolver.default.resolveTag(of: node) {
            case .null: self = .null
            case .bool: self = node.bool.map(ConfigValue.bool) ?? .string(scalar.string)
            case .int: self = node.int.map(ConfigValue.int) ?? .string(scalar.string)
            case .float: self = node.float.map(ConfigValue.double) ?? .string(scalar.string)
            default: self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .list(try sequence.map { try ConfigValue(node: $0, source: source) })
        case .mapping(let mapping):
            var result = ConfigMapping()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let key) = keyNode else {
                    throw ConfigError.unreadable(source: source, reason: "mapping keys must be plain text (line \(keyNode.mark?.line ?? 0))")
                }
                result[key.string] = try ConfigValue(node: valueNode, source: source)
            }
            self = .mapping(result)
        case .alias:
            throw ConfigError.unreadable(source: source, reason: "an alias (*name) that does not refer to an anchor")
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(problem) (line \(mark.line), column \(mark.column))"
        default:
            return "\(error)"
        }
    }

    /// Block-style YAML that reads back as this value (a mapping or list at the top level).
    public var yamlText: String {
        var lines: [String] = []
        switch self {
        case .mapping(let m) where !m.isEmpty: Self.appendMapping(m, indent: "", to: &lines)
        case .list(let items) where !items.isEmpty: Self.appendList(items, indent: "", to: &lines)
        default: lines.append(inlineText)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func appendMapping(_ mapping: ConfigMapping, indent: String, to lines: inout [String]) {
        for (key, value) in mapping.pairs {
            let name = yamlString(key)
            switch value {
            case .mapping(let m) where !m.isEmpty:
                lines.append("\(indent)\(name):")
                appendMapping(m, indent: indent + "  ", to: &lines)
            case .list(let items) where items.contains(where: \.isCollection):
                lines.append("\(indent)\(name):")
                appendList(items, indent: indent, to: &lines)
            default:
                lines.append("\(indent)\(name): \(value.inlineText)")
            }
        }
    }

    private static func appendList(_ items: [ConfigValue], indent: String, to lines: inout [String]) {
        for item in items {
            switch item {
            case .mapping(let m) where !m.isEmpty:
                var nested: [String] = []
                appendMapping(m, indent: indent + "  ", to: &nested)
                // The first key goes on the dash's line: `- class_path: X`.
                lines.append(indent + "- " + nested[0].dropFirst(indent.count + 2))
                lines += nested.dropFirst()
            case .list(let inner) where !inner.isEmpty && inner.contains(where: \.isCollection):
                lines.append(indent + "-")
                appendList(inner, indent: indent + "  ", to: &lines)
            default:
                lines.append("\(indent)- \(item.inlineText)")
            }
        }
    }

    private var isCollection: Bool {
        switch self {
        case .mapping(let m): return !m.isEmpty
        case .list(let l): return !l.isEmpty
        default: return false
        }
    }

    /// Flow style: scalars, `[1, 2]`, `{a: 1}`.
    var inlineText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return "\(i)"
        case .double(let d): return Self.yamlNumber(d)
        case .string(let s): return Self.yamlString(s)
        case .list(let items): return "[" + items.map(\.inlineText).joined(separator: ", ") + "]"
        case .mapping(let m): return "{" + m.pairs.map { "\(Self.yamlString($0.key)): \($0.value.inlineText)" }.joined(separator: ", ") + "}"
        }
    }

    /// A float that YAML 1.1 readers (PyYAML) also read as a float: `1.0`, `1.0e-05`, `.inf`.
    static func yamlNumber(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        var text = "\(d)"
        if !text.contains("."), let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            text.insert(contentsOf: ".0", at: e)
        }
        return text
    }

    /// Text plain when it reads back as the same text, else double-quoted (JSON escapes are YAML's).
    static func yamlString(_ s: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+()$<>@%")
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { safe.contains($0) || $0 == " " }
            && !s.hasPrefix(" ") && !s.hasSuffix(" ") && !s.hasPrefix("-") && !s.hasPrefix("%") && !s.hasPrefix("@") && !s.contains(" #")
            && Resolver.default.resolveTag(of: Yams.Node(s)) == .str
        if plain { return s }
        let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }
}
