/// Merging one source (a config file, a default, one command-line override) over what earlier
/// sources set: sections merge key by key, other values are replaced, and components keep the
/// `init_args` the new class also has when `class_path` changes (as jsonargparse does).
extension ConfigSchema {
    /// `source` merged over `base`; throws for unknown keys and names, naming the dotted path.
    func merge(_ base: ConfigValue?, _ source: ConfigValue, at path: String) throws -> ConfigValue {
        switch self {
        case .option:
            return source
        case .section:
            guard case .mapping(let incoming) = source else {
                if source == .null { return base ?? .mapping(ConfigMapping()) }
                throw ConfigError.wrongType(key: path, expected: "a mapping of \(keys.joined(separator: ", "))", got: source.shortDescription)
            }
            var result = base?.mapping ?? ConfigMapping()
            for (key, value) in incoming.pairs {
                guard let schema = entry(key) else { throw ConfigError.unknownKey(key: joinPath(path, key), known: keys) }
                result[key] = try schema.merge(result[key], value, at: joinPath(path, key))
            }
            return .mapping(result)
        case .component(let registry, let defaultName):
            return try Self.mergeComponent(base, source, registry: registry, defaultName: defaultName, at: path).configValue
        case .componentList(let registry):
            return try mergeList(base, source, registry: registry, at: path)
        case .loggers(let registry, let defaultName):
            return try mergeLoggers(base, source, registry: registry, defaultName: defaultName, at: path)
        }
    }

    /// `source` (one component or a list) appended to the list at `path` (`--trainer.callbacks+=EarlyStopping`).
    func append(_ base: ConfigValue?, _ source: ConfigValue, at path: String) throws -> ConfigValue {
        let items: [ConfigValue]
        if case .list(let list) = source { items = list } else { items = [source] }
        switch self {
        case .componentList(let registry):
            var result = Self.listItems(base)
            for item in items { result.append(try Self.mergeComponent(nil, item, registry: registry, defaultName: nil, at: path).configValue) }
            return .list(result)
        case .loggers(let registry, let defaultName):
            var result = try Self.loggerItems(base, registry: registry, defaultName: defaultName, at: path)
            for item in items { result.append(try Self.mergeComponent(nil, item, registry: registry, defaultName: nil, at: path).configValue) }
            return .list(result)
        default:
            throw ConfigError.usage("--\(path)+=: only lists of components (trainer.callbacks, trainer.logger) can be appended to; use --\(path) VALUE")
        }
    }

    private func mergeList(_ base: ConfigValue?, _ source: ConfigValue, registry: ComponentRegistry, at path: String) throws -> ConfigValue {
        switch source {
        case .null:
            return .list([])
        case .list(let items):
            return .list(try items.map { try Self.mergeComponent(nil, $0, registry: registry, defaultName: nil, at: path).configValue })
        case .mapping(let m) where !Self.namesClass(m, registry: registry):
            // `--trainer.callbacks.patience 5` sets an option of the last callback (jsonargparse's rule).
            var items = Self.listItems(base)
            guard let last = items.popLast() else {
                let key = m.keys.first ?? ""
                throw ConfigError.usage("--\(joinPath(path, key)): there is no \(registry.kind) to set '\(key)' on; add one first, e.g. --\(path)+=\(registry.specs.first?.name ?? "NAME")")
            }
            items.append(try Self.mergeComponent(last, source, registry: registry, defaultName: nil, at: "\(path)[\(items.count)]").configValue)
            return .list(items)
        default:
            return .list([try Self.mergeComponent(nil, source, registry: registry, defaultName: nil, at: path).configValue])
        }
    }

    private func mergeLoggers(_ base: ConfigValue?, _ source: ConfigValue, registry: ComponentRegistry, defaultName: String,
                              at path: String) throws -> ConfigValue {
        if let flag = Bool(config: source) { return .bool(flag) }
        switch source {
        case .null:
            return .bool(true)
        case .list(let items):
            return .list(try items.map { try Self.mergeComponent(nil, $0, registry: registry, defaultName: nil, at: path).configValue })
        case .mapping(let m) where !Self.namesClass(m, registry: registry):
            var items = try Self.loggerItems(base, registry: registry, defaultName: defaultName, at: path)
            guard let last = items.popLast() else {
                throw ConfigError.usage("--\(joinPath(path, m.keys.first ?? "")): logging is off (\(path): false); name a logger first, e.g. --\(path) \(defaultName)")
            }
            items.append(try Self.mergeComponent(last, source, registry: registry, defaultName: nil, at: path).configValue)
            return .list(items)
        default:
            return .list([try Self.mergeComponent(nil, source, registry: registry, defaultName: nil, at: path).configValue])
        }
    }

    /// The components of a list value (none when unset).
    private static func listItems(_ value: ConfigValue?) -> [ConfigValue] {
        if case .list(let items)? = value { return items }
        return []
    }

    /// The loggers `value` stands for: `true` or unset is the default logger, `false` none.
    private static func loggerItems(_ value: ConfigValue?, registry: ComponentRegistry, defaultName: String, at path: String) throws -> [ConfigValue] {
        switch value {
        case .list(let items)?: return items
        case .bool(false)?: return []
        default: return [try mergeComponent(nil, .string(defaultName), registry: registry, defaultName: nil, at: path).configValue]
        }
    }

    /// Whether a mapping names its class (`class_path`, or `name` holding a registered name).
    static func namesClass(_ m: ConfigMapping, registry: ComponentRegistry) -> Bool {
        if m["class_path"] != nil || m["init_args"] != nil { return true }
        if case .string(let name)? = m["name"] { return registry.specs.contains { $0.matches(name) } }
        return false
    }

    /// `source` over `base` for one component, in the normal form `{class_path, init_args}`.
    static func mergeComponent(_ base: ConfigValue?, _ source: ConfigValue, registry: ComponentRegistry, defaultName: String?,
                               at path: String) throws -> SelectedComponent {
        let incoming = try SelectedComponent.parse(source, registry: registry, at: path)
        let previous = try base.map { try SelectedComponent.parse($0, registry: registry, at: path) }
        guard let spec = try incoming.spec ?? previous?.spec ?? defaultName.map({ try registry.find($0, at: path) }) else {
            throw ConfigError.wrongType(key: joinPath(path, "class_path"), expected: "a \(registry.kind) name: one of \(registry.specs.map(\.name).joined(separator: ", "))",
                                        got: "none")
        }
        var arguments = previous?.arguments ?? ConfigMapping()
        if let old = previous?.spec, old.name != spec.name {
            for key in arguments.keys where spec.option(key) == nil { arguments[key] = nil }
        }
        for (key, value) in incoming.arguments.pairs {
            guard spec.option(key) != nil else {
                let owners = registry.specs.filter { $0.option(key) != nil }.map(\.name)
                if !owners.isEmpty && Suggestions.closest(to: key, among: spec.options.map(\.key)).isEmpty {
                    // `--trainer.strategy.bucket_cap_mb 4` under `auto`: the key belongs to another choice.
                    throw ConfigError.usage("\(joinPath(path, "init_args.\(key)")): the \(registry.kind) '\(spec.name)' has no option '\(key)'; "
                                            + "\(Suggestions.list(owners)) \(owners.count == 1 ? "has" : "have") it: choose one first, e.g. --\(path) \(owners[0])")
                }
                throw ConfigError.unknownKey(key: joinPath(path, "init_args.\(key)"), known: spec.options.map(\.key))
            }
            arguments[key] = value
        }
        return SelectedComponent(spec: spec, arguments: arguments)
    }
}

/// A component as configured: which one, and the `init_args` given so far.
struct SelectedComponent {
    /// The component, when the value names one.
    var spec: ComponentSpec?
    /// Its options as given (unchecked).
    var arguments: ConfigMapping

    /// `{class_path: name, init_args: {...}}`.
    var configValue: ConfigValue {
        .mapping(ConfigMapping([("class_path", .string(spec?.name ?? "")), ("init_args", .mapping(arguments))]))
    }

    /// Reads `NAME`, `{class_path: NAME, init_args: {...}}`, `{name: NAME, key: value}` or just `{key: value}`.
    static func parse(_ value: ConfigValue, registry: ComponentRegistry, at path: String) throws -> SelectedComponent {
        switch value {
        case .string(let name):
            return SelectedComponent(spec: try registry.find(name, at: path), arguments: ConfigMapping())
        case .mapping(let m):
            var spec: ComponentSpec?
            var rest = m
            if let classPath = rest["class_path"] {
                guard case .string(let name) = classPath else {
                    throw ConfigError.wrongType(key: joinPath(path, "class_path"), expected: "a \(registry.kind) name", got: classPath.shortDescription)
                }
                spec = try registry.find(name, at: joinPath(path, "class_path"))
                rest["class_path"] = nil
            } else if case .string(let name)? = rest["name"], registry.specs.contains(where: { $0.matches(name) }) {
                spec = try registry.find(name, at: path)
                rest["name"] = nil
            }
            var arguments = ConfigMapping()
            if let initArgs = rest["init_args"] {
                switch initArgs {
                case .mapping(let args): arguments = args
                case .null: break
                default: throw ConfigError.wrongType(key: joinPath(path, "init_args"), expected: "a mapping of options", got: initArgs.shortDescription)
                }
                rest["init_args"] = nil
            }
            // Options given beside class_path belong to init_args (`--model.hidden_sizes 64`).
            for (key, value) in rest.pairs { arguments[key] = value }
            return SelectedComponent(spec: spec, arguments: arguments)
        default:
            throw ConfigError.wrongType(key: path, expected: "a \(registry.kind) name (\(registry.specs.map(\.name).joined(separator: ", "))) or a mapping with class_path and init_args",
                                        got: value.shortDescription)
        }
    }
}
