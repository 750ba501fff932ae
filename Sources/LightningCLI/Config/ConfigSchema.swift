/// The shape of a configuration: which keys exist, what each holds, and the defaults. Merging
/// and checking walk it, so every key is known, typed and reported by its dotted path.
indirect enum ConfigSchema {
    /// A typed value.
    case option(any AnyConfigOption)
    /// Fixed keys, each with its own schema, in the order printed configs list them.
    case section([(key: String, schema: ConfigSchema)])
    /// One named component, `class_path` + `init_args` (`model:`, `data:`); `defaultName` when none is chosen.
    case component(ComponentRegistry, defaultName: String?)
    /// A list of components (`trainer.callbacks`).
    case componentList(ComponentRegistry)
    /// `true` (the default logger), `false` (none), or components (`trainer.logger`).
    case loggers(ComponentRegistry, defaultName: String)

    /// The schema of `key` in a section.
    func entry(_ key: String) -> ConfigSchema? {
        guard case .section(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.schema
    }

    /// The keys of a section.
    var keys: [String] {
        guard case .section(let entries) = self else { return [] }
        return entries.map(\.key)
    }
}

/// `path.key`, or `key` at the top.
func joinPath(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
