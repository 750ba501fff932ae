import Lightning

/// A model the CLI can build by name from the `model:` section (`class_path` is the name,
/// `init_args` the options).
///
/// ```swift
/// let width = ConfigOption("width", default: 32, help: "hidden units", minimum: 1)
/// let factory = ModelFactory("sine", summary: "fits a sine", options: [width]) { section in
///     SineRegressor(width: section[width])
/// }
/// ```
public struct ModelFactory {
    /// The name `model:` / `--model` uses.
    public let name: String
    /// One line for `--help`.
    public let summary: String
    /// The options of its `init_args`.
    public let options: [any AnyConfigOption]
    /// Builds the model, erased to what the CLI runs.
    let build: (ConfigSection) throws -> any ModelRunning

    /// A factory for models of type `M`; `build` reads its options from the section it is given.
    public init<M: LightningModuleProtocol>(_ name: String, summary: String = "", options: [any AnyConfigOption] = [],
                                            build: @escaping (ConfigSection) throws -> M) {
        self.name = name
        self.summary = summary
        self.options = options
        self.build = { section in ModelRunner(model: try build(section)) }
    }

    /// What the configuration knows of it.
    var spec: ComponentSpec { ComponentSpec(name: name, aliases: [], summary: summary, options: options) }
}
