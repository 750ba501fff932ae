import Lightning

/// A data module the CLI can build by name from the `data:` section.
///
/// A module that conforms to ``DataInfoProviding`` tells the model's factory its sample shapes
/// (``ConfigSection/dataInfo``).
public struct DataFactory {
    /// The name `data:` / `--data` uses.
    public let name: String
    /// One line for `--help`.
    public let summary: String
    /// The options of its `init_args`.
    public let options: [any AnyConfigOption]
    /// Builds the module, erased to what a model can take.
    let build: (ConfigSection) throws -> BuiltDataModule

    /// A factory for data modules of type `D`.
    public init<D: DataModule>(_ name: String, summary: String = "", options: [any AnyConfigOption] = [],
                               build: @escaping (ConfigSection) throws -> D) {
        self.init(name, summary: summary, options: options) { section in
            let module = try build(section)
            return (module, (module as? DataInfoProviding)?.dataInfo)
        }
    }

    /// A factory whose `build` also says what the samples look like.
    init<D: DataModule>(_ name: String, summary: String, options: [any AnyConfigOption],
                        describedBuild: @escaping (ConfigSection) throws -> (D, DataInfo?)) {
        self.name = name
        self.summary = summary
        self.options = options
        self.build = { section in
            let (module, info) = try describedBuild(section)
            return BuiltDataModule(module: module, info: info)
        }
    }

    /// What the configuration knows of it.
    var spec: ComponentSpec { ComponentSpec(name: name, aliases: [], summary: summary, options: options) }
}
