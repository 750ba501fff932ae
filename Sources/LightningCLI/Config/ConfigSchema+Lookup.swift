/// Which option a dotted key names, given what earlier sources chose (the current model,
/// data, last callback or logger), so a flag's text can be read as that option's type.
extension ConfigSchema {
    /// The option at `path` below this schema, or `nil` when the path names a section or component.
    func option(at path: ArraySlice<String>, current: ConfigValue?) -> (any AnyConfigOption)? {
        switch self {
        case .option(let option):
            return path.isEmpty ? option : nil
        case .section:
            guard let key = path.first, let child = entry(key) else { return nil }
            return child.option(at: path.dropFirst(), current: current?.mapping?[key])
        case .component(let registry, let defaultName):
            return Self.componentOption(registry, chosen: Self.className(current) ?? defaultName, path: path)
        case .componentList(let registry):
            guard case .list(let items)? = current else { return nil }
            return Self.componentOption(registry, chosen: items.last.flatMap(Self.className), path: path)
        case .loggers(let registry, let defaultName):
            if case .list(let items)? = current { return Self.componentOption(registry, chosen: items.last.flatMap(Self.className), path: path) }
            return Self.componentOption(registry, chosen: defaultName, path: path)
        }
    }

    private static func componentOption(_ registry: ComponentRegistry, chosen: String?, path: ArraySlice<String>) -> (any AnyConfigOption)? {
        let keys = path.first == "init_args" ? path.dropFirst() : path
        guard keys.count == 1, let name = chosen, let spec = registry.specs.first(where: { $0.matches(name) }) else { return nil }
        return spec.option(keys.first!)
    }

    private static func className(_ value: ConfigValue?) -> String? {
        if case .string(let name)? = value?.mapping?["class_path"] { return name }
        return nil
    }
}
