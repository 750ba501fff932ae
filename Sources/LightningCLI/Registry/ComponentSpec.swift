/// What the configuration knows of a named component (a model, a data module, a callback, a
/// logger): its name and the options of its `init_args`.
struct ComponentSpec: Sendable {
    /// The canonical name (`class_path` in printed configs).
    let name: String
    /// Other accepted names (matched case-insensitively, like the name).
    let aliases: [String]
    /// One line for `--help`.
    let summary: String
    /// The keys of its `init_args`.
    let options: [any AnyConfigOption]

    /// The option named `key`.
    func option(_ key: String) -> (any AnyConfigOption)? { options.first { $0.key == key } }

    /// Whether `name` refers to this component: its name or an alias in any case, alone or as the
    /// last part of a dotted class path (`lightning.pytorch.callbacks.EarlyStopping`).
    func matches(_ name: String) -> Bool {
        let last = name.split(separator: ".").last.map(String.init) ?? name
        return ([self.name] + aliases).contains { $0.lowercased() == name.lowercased() || $0.lowercased() == last.lowercased() }
    }
}

/// The components of one kind the configuration can name.
struct ComponentRegistry: Sendable {
    /// `model`, `data`, `callback`, `logger`.
    let kind: String
    /// The components, the default first where the kind has one.
    let specs: [ComponentSpec]

    /// The component `name` refers to; throws naming `path` and the choices.
    func find(_ name: String, at path: String) throws -> ComponentSpec {
        specs[try index(of: name, at: path)]
    }

    /// The position of the component `name` refers to; throws naming `path` and the choices.
    func index(of name: String, at path: String) throws -> Int {
        if let index = specs.firstIndex(where: { $0.matches(name) }) { return index }
        throw ConfigError.unknownName(key: path, kind: kind, name: name, choices: specs.map(\.name))
    }
}
