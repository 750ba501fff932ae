import Lightning

/// A strategy `trainer.strategy` can name (`auto`, `ddp`, `single_device`), as LightningCLI
/// accepts `strategy: ddp` or `{class_path: DDPStrategy, init_args: {bucket_cap_mb: 25}}`.
struct StrategyFactory {
    /// The name `class_path` uses.
    let name: String
    /// Lightning's names for it.
    let aliases: [String]
    /// One line for `--help`.
    let summary: String
    /// The options of its `init_args`.
    let options: [any AnyConfigOption]
    /// Builds the strategy; `nil` leaves the choice to the Trainer (the launcher decides).
    let build: (ConfigSection) -> (any Strategy)?

    /// What the configuration knows of it.
    var spec: ComponentSpec { ComponentSpec(name: name, aliases: aliases, summary: summary, options: options) }
}

extension StrategyFactory {
    /// `auto` (the default), `ddp` and `single_device`.
    static let builtIn: [StrategyFactory] = [auto, dataParallel, singleDevice]

    /// The built-ins as the configuration schema sees them.
    static let registry = ComponentRegistry(kind: "strategy", specs: builtIn.map(\.spec))

    static let bucketCapMB = ConfigOption<Double>("bucket_cap_mb", default: 25, help: "the largest piece of the gradient one MPI_Allreduce carries",
                                                  valid: { $0 > 0 && $0.isFinite }, expected: "a number of megabytes > 0")
    static let sharedMemory = ConfigOption<Bool>("shared_memory", default: true,
                                                 help: "average gradients in memory a node's ranks share (false: MPI_Allreduce in buckets)")
    static let overlapWithBackward = ConfigOption<Bool>("overlap_with_backward", default: false,
                                                        help: "start each bucket's reduction as soon as backward completes it")
    static let findUnusedParameters = ConfigOption<Bool>("find_unused_parameters", default: false,
                                                         help: "accepted for Lightning configs (a parameter without a gradient always counts as zeros)")

    static let auto = StrategyFactory(name: "auto", aliases: [], summary: "data parallel when started by mpirun, else one process",
                                      options: []) { _ in nil }

    static let dataParallel = StrategyFactory(
        name: "ddp", aliases: ["DDPStrategy", "ddp_find_unused_parameters_true", "ddp_find_unused_parameters_false"],
        summary: "one replica per mpirun process, gradients averaged before each step",
        options: [bucketCapMB, sharedMemory, overlapWithBackward, findUnusedParameters]
    ) { s in
        DataParallelStrategy(bucketCapMB: s[bucketCapMB], sharedMemory: s[sharedMemory], overlapWithBackward: s[overlapWithBackward])
    }

    static let singleDevice = StrategyFactory(name: "single_device", aliases: ["SingleDeviceStrategy"],
                                              summary: "one process (a launch of several is an error: each would train alone)", options: []) { _ in SingleDeviceStrategy() }
}
