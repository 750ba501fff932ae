import Foundation

/// Builds a run's configuration: the schema's defaults, the program's defaults, then each
/// `--config` file and override in command-line order, checked and completed.
struct ConfigAssembly {
    /// The whole configuration's shape for one subcommand.
    let schema: ConfigSchema

    static let seedEverything = ConfigOption<SeedSetting>("seed_everything", default: .flag(true),
                                                          help: "an integer seed, true (a random one, recorded in config.yaml) or false")
    static let ckptPath = ConfigOption<String?>("ckpt_path", default: nil, help: "a checkpoint file, or best / last from the log directory")
    static let predictOutput = ConfigOption<String?>("output", default: nil, help: "write the predictions to this .npy, .csv or .safetensors file",
                                                     valid: { path in path.map { ["npy", "csv", "safetensors"].contains(($0 as NSString).pathExtension.lowercased()) } ?? true },
                                                     expected: "a file ending in .npy, .csv or .safetensors")

    /// The schema for `subcommand`: `seed_everything`, `trainer`, `model`, `data`, `ckpt_path` (and `predict` for predict).
    init(subcommand: Subcommand, models: ComponentRegistry, data: ComponentRegistry, callbacks: ComponentRegistry, loggers: ComponentRegistry,
         strategies: ComponentRegistry) {
        var entries: [(key: String, schema: ConfigSchema)] = [
            ("seed_everything", .option(Self.seedEverything)),
            ("trainer", TrainerOptions.schema(callbacks: callbacks, loggers: loggers, strategies: strategies)),
            ("model", .component(models, defaultName: models.specs.first?.name)),
            ("data", .component(data, defaultName: data.specs.first?.name)),
            ("ckpt_path", .option(Self.ckptPath)),
        ]
        if subcommand == .predict { entries.append(("predict", .section([("output", .option(Self.predictOutput))]))) }
        schema = .section(entries)
    }

    /// The checked, complete configuration from `defaults` (YAML texts) and `steps`.
    func resolve(defaults: [String], steps: [Invocation.Step]) throws -> ConfigValue {
        try schema.resolve(try merged(defaults: defaults, steps: steps), at: "")
    }

    /// The sources merged in order, not yet completed.
    func merged(defaults: [String], steps: [Invocation.Step]) throws -> ConfigValue {
        var raw = ConfigValue.mapping(ConfigMapping())
        for text in defaults where !text.isEmpty {
            raw = try schema.merge(raw, try ConfigValue(yaml: text, source: "the program's default configuration"), at: "")
        }
        for step in steps {
            switch step {
            case .file(let path):
                raw = try schema.merge(raw, try Self.readFile(path), at: "")
            case .set(let key, let text):
                let option = schema.option(at: key.split(separator: ".").map(String.init)[...], current: raw)
                raw = try schema.merge(raw, try tree(key: key, value: Self.value(text, for: option, flag: key)), at: "")
            case .append(let key, let text):
                let path = key.split(separator: ".").map(String.init)
                guard path.count > 1, let target = node(at: path) else {
                    throw ConfigError.usage("--\(key)+=: only trainer.callbacks and trainer.logger can be appended to")
                }
                let parentPath = Array(path.dropLast()), last = path[path.count - 1]
                var parent = value(in: raw, at: parentPath)?.mapping ?? ConfigMapping()
                parent[last] = try target.append(parent[last], Self.value(text, for: nil, flag: key + "+"), at: key)
                raw = try schema.merge(raw, try tree(key: parentPath.joined(separator: "."), value: .mapping(parent)), at: "")
            }
        }
        return raw
    }

    /// `{a: {b: {c: value}}}` for the key `a.b.c`; an unknown first key is reported with the
    /// section that has it (`--max_epochs` → `trainer.max_epochs`).
    private func tree(key: String, value: ConfigValue) throws -> ConfigValue {
        let parts = key.split(separator: ".").map(String.init)
        if schema.entry(parts[0]) == nil {
            let owners = schema.keys.filter { schema.entry($0)?.entry(parts[0]) != nil }
            if let owner = owners.first {
                throw ConfigError.usage("--\(key): unknown key; did you mean '--\(owner).\(key)'?")
            }
        }
        return parts.reversed().reduce(value) { inner, part in .mapping(ConfigMapping([(part, inner)])) }
    }

    /// The schema of a dotted path through sections.
    private func node(at path: [String]) -> ConfigSchema? {
        path.reduce(Optional(schema)) { $0?.entry($1) }
    }

    /// The raw value at a dotted path.
    private func value(in root: ConfigValue, at path: [String]) -> ConfigValue? {
        path.reduce(Optional(root)) { $0?.mapping?[$1] }
    }

    /// A command-line value: text, which each option reads as its type (`5`, `0.25`, `false`,
    /// `null`, `{epoch}-{step}`), unless the option cannot take that text and it is YAML
    /// (`[64, 32]`, `{class_path: …}`), as jsonargparse reads flags.
    static func value(_ text: String, for option: (any AnyConfigOption)?, flag: String) -> ConfigValue {
        if let option, (try? option.canonical(.string(text), at: flag)) != nil { return .string(text) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("[") || trimmed.hasPrefix("{"), let parsed = try? ConfigValue(yaml: trimmed, source: "--\(flag)") {
            return parsed
        }
        return .string(text)
    }

    /// A `--config` file's top-level mapping.
    static func readFile(_ path: String) throws -> ConfigValue {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text" : "no such file"
            throw ConfigError.missingFile(path: path, reason: reason)
        }
        let value = try ConfigValue(yaml: text, source: path)
        guard case .mapping = value else {
            throw ConfigError.unreadable(source: path, reason: "expected a mapping of seed_everything, trainer, model, data, ckpt_path at the top, got \(value.shortDescription)")
        }
        return value
    }
}
