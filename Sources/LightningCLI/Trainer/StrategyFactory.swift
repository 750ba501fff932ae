import Lightning

/// The strategies `trainer.strategy` can name, as LightningCLI accepts `strategy: ddp` or
/// `{class_path: DDPStrategy, init_args: {bucket_cap_mb: 25}}`.
extension StrategyFactory {
    /// `auto` (the default), `ddp` and `single_device`.
    public static let builtIn: [StrategyFactory] = [auto, dataParallel, singleDevice]

    static let bucketCapMB = ConfigOption<Double>("bucket_cap_mb", default: 25, help: "the largest piece of the gradient one MPI_Allreduce carries",
                                                  valid: { $0 > 0 && $0.isFinite }, expected: "a number of megabytes > 0")
    static let sharedMemory = ConfigOption<Bool>("shared_memory", default: true,
                                                 help: "average gradients in memory a node's ranks share (false: MPI_Allreduce in buckets)")
    static let overlapWithBackward = ConfigOption<Bool>("overlap_with_backward", default: false,
                                                        help: "start each bucket's reduction as soon as backward completes it")
    static let findUnusedParameters = ConfigOption<Bool>("find_unused_parameters", default: false,
                                                         help: "accepted for Lightning configs (a parameter without a gradient always counts as zeros)")

    /// The launcher decides: data parallel when started by mpirun, else one process.
    public static let auto = StrategyFactory("auto", summary: "data parallel when started by mpirun, else one process") { _ in nil }

    /// ``DataParallelStrategy`` with its options.
    public static let dataParallel = StrategyFactory(
        "ddp", aliases: ["DDPStrategy", "ddp_find_unused_parameters_true", "ddp_find_unused_parameters_false"],
        summary: "one replica per mpirun process, gradients averaged before each step",
        options: [bucketCapMB, sharedMemory, overlapWithBackward, findUnusedParameters]
    ) { s in
        DataParallelStrategy(bucketCapMB: s[bucketCapMB], sharedMemory: s[sharedMemory], overlapWithBackward: s[overlapWithBackward])
    }

    /// ``SingleDeviceStrategy``.
    public static let singleDevice = StrategyFactory("single_device", aliases: ["SingleDeviceStrategy"],
                                              summary: "one process (a launch of several is an error: each would train alone)", options: []) { _ in SingleDeviceStrategy() }
}
