import Lightning

/// A data module the CLI can build by name from the `data:` section.
///
/// A module that conforms to ``DataInfoProviding`` tells the model's factory its sample shapes
/// (``ConfigSection/dataInfo``).
public typealias DataFactory = ComponentFactory<BuiltDataModule>

extension ComponentFactory where Product == BuiltDataModule {
    /// A factory for data modules of type `D`.
    public init<D: DataModule & SendableMetatype>(_ name: String, aliases: [String] = [], summary: String = "", options: [any AnyConfigOption] = [],
                               build: @escaping @Sendable (ConfigSection) throws -> D) {
        self.init(name, aliases: aliases, summary: summary, options: options) { section in
            let module = try build(section)
            return BuiltDataModule(module: module, info: (module as? DataInfoProviding)?.dataInfo)
        }
    }

    /// A factory whose `build` also says what the samples look like.
    init<D: DataModule & SendableMetatype>(_ name: String, summary: String, options: [any AnyConfigOption],
                        describedBuild: @escaping @Sendable (ConfigSection) throws -> (D, DataInfo?)) {
        self.init(name, summary: summary, options: options) { section in
            let (module, info) = try describedBuild(section)
            return BuiltDataModule(module: module, info: info)
        }
    }
}
