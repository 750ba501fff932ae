import Lightning

/// A callback the configuration can name in `trainer.callbacks` (`ModelCheckpoint`,
/// `EarlyStopping`, … or your own).
public struct CallbackFactory {
    /// The name `class_path` uses.
    public let name: String
    /// Other accepted names (Lightning's, e.g. `Timer` for ``TrainingTimer``).
    public let aliases: [String]
    /// One line for `--help`.
    public let summary: String
    /// The options of its `init_args`.
    public let options: [any AnyConfigOption]
    /// Builds the callback.
    let build: (ConfigSection) throws -> any Callback

    /// A factory for callbacks; `build` reads the options from the section it is given.
    public init(_ name: String, aliases: [String] = [], summary: String = "", options: [any AnyConfigOption] = [],
                build: @escaping (ConfigSection) throws -> any Callback) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.options = options
        self.build = build
    }

    /// What the configuration knows of it.
    var spec: ComponentSpec { ComponentSpec(name: name, aliases: aliases, summary: summary, options: options) }
}

/// A logger the configuration can name in `trainer.logger` (`csv`, `tensorboard`).
struct LoggerFactory {
    /// The name `class_path` uses.
    let name: String
    /// Lightning's class names.
    let aliases: [String]
    /// One line for `--help`.
    let summary: String
    /// The options of its `init_args`.
    let options: [any AnyConfigOption]
    /// Builds the logger; the second argument is `trainer.default_root_dir`.
    let build: (ConfigSection, String) throws -> any ExperimentLogger

    /// What the configuration knows of it.
    var spec: ComponentSpec { ComponentSpec(name: name, aliases: aliases, summary: summary, options: options) }
}
