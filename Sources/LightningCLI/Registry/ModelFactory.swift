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
public typealias ModelFactory = ComponentFactory<BuiltModel>

/// A model a ``ModelFactory`` built, erased to what the CLI runs.
public struct BuiltModel {
    /// Runs the subcommands with the model's concrete type.
    let runner: any ModelRunning
}

extension ComponentFactory where Product == BuiltModel {
    /// A factory for models of type `M`; `build` reads its options from the section it is given.
    public init<M: LightningModuleProtocol>(_ name: String, aliases: [String] = [], summary: String = "", options: [any AnyConfigOption] = [],
                                            build: @escaping @Sendable (ConfigSection) throws -> M) {
        self.init(name, aliases: aliases, summary: summary, options: options) { section in
            BuiltModel(runner: ModelRunner(model: try build(section)))
        }
    }
}
