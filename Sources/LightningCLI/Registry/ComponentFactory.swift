/// A component the configuration can name and build: a model, a data module, a callback, a
/// logger or a strategy. `ModelFactory`, `DataFactory`, `CallbackFactory`, `LoggerFactory` and
/// `StrategyFactory` are this type for their product; ``LightningCLI`` takes lists of each, so
/// every kind, the built-in ones included, can be extended with your own.
///
/// ```swift
/// let timer = CallbackFactory("StepTimer", summary: "prints each step's time") { _ in StepTimer() }
/// LightningCLI(models: ModelFactory.builtIn, data: DataFactory.builtIn, callbacks: [timer]).main()
/// ```
public struct ComponentFactory<Product>: Sendable {
    /// The name `class_path` uses.
    public let name: String
    /// Other accepted names (Lightning's class names, e.g. `Timer` for ``TrainingTimer``).
    public let aliases: [String]
    /// One line for `--help`.
    public let summary: String
    /// The options of its `init_args`.
    public let options: [any AnyConfigOption]
    /// Builds the component from its checked `init_args`.
    let build: @Sendable (ConfigSection) throws -> Product

    /// A factory; `build` reads the options from the section it is given.
    public init(_ name: String, aliases: [String] = [], summary: String = "", options: [any AnyConfigOption] = [],
                build: @escaping @Sendable (ConfigSection) throws -> Product) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.options = options
        self.build = build
    }

    /// What the configuration knows of it.
    var spec: ComponentSpec { ComponentSpec(name: name, aliases: aliases, summary: summary, options: options) }
}

/// A callback `trainer.callbacks` can name (`ModelCheckpoint`, `EarlyStopping`, … or your own).
public typealias CallbackFactory = ComponentFactory<any Callback>
/// A logger `trainer.logger` can name (`csv`, `tensorboard` or your own); its section's
/// ``ConfigSection/defaultRootDir`` is `trainer.default_root_dir`.
public typealias LoggerFactory = ComponentFactory<any ExperimentLogger>
/// A strategy `trainer.strategy` can name (`auto`, `ddp`, `single_device` or your own); `nil`
/// leaves the choice to the Trainer (the launcher decides).
public typealias StrategyFactory = ComponentFactory<(any Strategy)?>

extension Array {
    /// The factory `name` refers to (its name or an alias, see ``ComponentSpec/matches(_:)``);
    /// throws naming `path`, `kind` and the choices.
    func factory<Product>(named name: String, kind: String, at path: String) throws -> Element where Element == ComponentFactory<Product> {
        self[try registry(kind: kind).index(of: name, at: path)]
    }
}

extension Array {
    /// What the configuration schema knows of these factories, as components of `kind`.
    func registry<Product>(kind: String) -> ComponentRegistry where Element == ComponentFactory<Product> {
        ComponentRegistry(kind: kind, specs: map(\.spec))
    }
}
