/// Checking a merged configuration and filling in every default: the result is the complete
/// configuration in canonical form, what `--print_config` prints and `config.yaml` records.
extension ConfigSchema {
    /// `raw` checked against the schema, defaults filled in; throws naming the first bad key.
    func resolve(_ raw: ConfigValue?, at path: String) throws -> ConfigValue {
        switch self {
        case .option(let option):
            return try option.canonical(raw ?? option.defaultConfigValue, at: path)
        case .section(let entries):
            let given = raw?.mapping ?? ConfigMapping()
            for key in given.keys where entry(key) == nil { throw ConfigError.unknownKey(key: joinPath(path, key), known: keys) }
            var result = ConfigMapping()
            for (key, schema) in entries { result[key] = try schema.resolve(given[key], at: joinPath(path, key)) }
            return .mapping(result)
        case .component(let registry, let defaultName):
            let merged = try Self.mergeComponent(nil, raw ?? .mapping(ConfigMapping()), registry: registry, defaultName: defaultName, at: path)
            return try Self.resolveComponent(merged, at: path)
        case .componentList(let registry):
            guard case .list(let items)? = raw else { return .list([]) }
            return .list(try items.enumerated().map { index, item in
                let itemPath = "\(path)[\(index)]"
                return try Self.resolveComponent(try Self.mergeComponent(nil, item, registry: registry, defaultName: nil, at: itemPath), at: itemPath)
            })
        case .loggers(let registry, _):
            switch raw {
            case nil: return .bool(true)
            case .bool(let flag)?: return .bool(flag)
            case .list(let items)?:
                let resolved = try items.map { try Self.resolveComponent(try Self.mergeComponent(nil, $0, registry: registry, defaultName: nil, at: path), at: path) }
                if resolved.isEmpty { return .bool(false) }
                return resolved.count == 1 ? resolved[0] : .list(resolved)
            case let other?:
                // One logger given alone (a name or a mapping): merging makes it a list.
                return try resolve(try merge(nil, other, at: path), at: path)
            }
        }
    }

    /// `{class_path, init_args}` with every option of the component checked and defaulted, in declaration order.
    static func resolveComponent(_ component: SelectedComponent, at path: String) throws -> ConfigValue {
        guard let spec = component.spec else {
            throw ConfigError.wrongType(key: joinPath(path, "class_path"), expected: "a component name", got: "none")
        }
        var arguments = ConfigMapping()
        for option in spec.options {
            arguments[option.key] = try option.canonical(component.arguments[option.key] ?? option.defaultConfigValue,
                                                         at: joinPath(path, "init_args.\(option.key)"))
        }
        return .mapping(ConfigMapping([("class_path", .string(spec.name)), ("init_args", .mapping(arguments))]))
    }
}
