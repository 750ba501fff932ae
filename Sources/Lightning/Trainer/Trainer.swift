import Foundation
import LightningCUDA
import LightningDistributed

/// Runs a ``LightningModule``: the training loop with validation, checkpoints, logging and
/// callbacks, and `validate`, `test` and `predict`, with Lightning's arguments and behaviour.
///
/// ```swift
/// let trainer = Trainer(maxEpochs: 10, callbacks: [ModelCheckpoint(monitor: "val_loss")])
/// try trainer.fit(model, datamodule: data)
/// ```
public final class Trainer {
    /// Stop after this many epochs (default 1000 when `maxSteps` is not set either).
    public let maxEpochs: Int?
    /// Do not stop early (EarlyStopping, `shouldStop`) before this many epochs.
    public let minEpochs: Int?
    /// Stop after this many optimizer steps.
    public let maxSteps: Int?
    /// Do not stop early before this many optimizer steps.
    public let minSteps: Int?
    /// Stop once training has run this many seconds (checked after every batch by a ``TrainingTimer``
    /// the Trainer adds unless the callbacks hold one).
    public let maxTime: Double?
    /// Training batches per epoch.
    public let limitTrainBatches: BatchLimit
    /// Validation batches per run.
    public let limitValBatches: BatchLimit
    /// Test batches.
    public let limitTestBatches: BatchLimit
    /// Prediction batches.
    public let limitPredictBatches: BatchLimit
    /// Train and validate on this many batches (count) or share (fraction) of the loaders, the same
    /// ones every epoch: the training loader's order is made sequential (0: off). It replaces
    /// `limitTrainBatches` and `limitValBatches` (and `fastDevRun`'s count for them), as in Lightning.
    public let overfitBatches: BatchLimit
    /// Validate every this many training batches (count) or share of an epoch (fraction).
    public let valCheckInterval: BatchLimit
    /// Validate in every n-th epoch; `nil` counts `valCheckInterval` across epochs.
    public let checkValEveryNEpoch: Int?
    /// Validation batches run as a sanity check before training (-1: all).
    public let numSanityValSteps: Int
    /// Send step metrics to the loggers every this many optimizer steps.
    public let logEveryNSteps: Int
    /// Batches whose gradients add up before each optimizer step.
    public internal(set) var accumulateGradBatches: Int
    /// Clip gradients to this value (by norm or by value) before each optimizer step.
    public let gradientClipVal: Double?
    /// How `gradientClipVal` clips.
    public let gradientClipAlgorithm: GradientClipAlgorithm
    /// Whether the run must be deterministic (ours always is on CPU; kept for Lightning's spelling).
    public let deterministic: Bool
    /// Lightning's `benchmark` (cuDNN's algorithm search), accepted and kept; it changes nothing on the CPU.
    public let benchmark: Bool?
    /// Whether validation, test and predict run under ``inferenceMode(_:)`` (the default); with
    /// `false` they run under ``noGrad(_:)``, so a step may record gradients inside ``enableGrad(_:)``.
    public let inferenceMode: Bool
    /// Whether the strategy splits each loader across the processes (the default); with `false`
    /// every process iterates the loader it is given as it is, so the loader shards itself.
    public let useDistributedSampler: Bool
    /// Request the training and validation loaders again every this many epochs (0: once per fit).
    public let reloadDataloadersEveryNEpochs: Int
    /// Run this many batches of each stage once, with no loggers or checkpoints, to find bugs fast (0: off).
    public let fastDevRun: Int
    /// Whether a default ModelCheckpoint is added when none is given.
    public let enableCheckpointing: Bool
    /// Whether a progress bar is shown (rank 0).
    public let enableProgressBar: Bool
    /// Whether a model summary is printed when fit starts (rank 0).
    public let enableModelSummary: Bool
    /// Where logs and checkpoints go by default.
    public let defaultRootDir: String
    /// Where the run's processes and reductions come from.
    public let strategy: any Strategy
    /// The device this rank trains on, from `accelerator` (``DevicePlacement``); the module and
    /// every batch are moved there, so user code never names a GPU.
    public let device: Device
    /// How ``device`` was chosen, or why no device could be (the argument problem).
    let placement: Result<DevicePlacement, DevicePlacementProblem>
    /// Times every action of each stage and reports them when it ends (`nil`: off).
    public let profiler: (any Profiler)?
    /// Whether training's backward passes stop at the first NaN or infinity, naming the operation
    /// (``withAnomalyDetection(_:_:)``).
    public let detectAnomaly: Bool
    /// Whether BatchNorm layers normalize over every process's batch in training: fit installs the
    /// strategy's ``Strategy/batchStatistics`` in them, and they keep it (as Lightning's converted layers).
    public let syncBatchnorm: Bool

    /// The callbacks, in the order they are called (monitoring ones such as ModelCheckpoint last).
    public internal(set) var callbacks: [any Callback]
    /// The loggers (rank 0 writes them).
    public internal(set) var loggers: [any ExperimentLogger]
    /// Where training is; checkpointed.
    public internal(set) var progress = FitProgress()
    /// Set to `true` to stop training at the next opportunity (after `minEpochs` / `minSteps`).
    public var shouldStop = false
    /// The stage running now, if any.
    public internal(set) var stage: Stage?
    /// Whether the sanity-check validation is running.
    public internal(set) var sanityChecking = false
    /// Training batches per epoch of the current fit, on this rank (every rank runs as many).
    public internal(set) var numTrainingBatches = 0
    /// Validation batches per run of the current fit, all ranks and all validation loaders
    /// together (the same on every rank, so decisions taken from it agree).
    public internal(set) var numValBatches = 0
    /// The optimizers of the current run.
    public internal(set) var optimizers: [any Optimizer] = []
    /// The learning rate schedulers of the current run.
    public internal(set) var lrSchedulerConfigs: [LRSchedulerConfig] = []

    let logConnector = LogConnector()
    /// Batches between the cross-process checks for a termination signal.
    var signalCheckInterval = 8
    /// The outputs of the last `predict` (this process's until gathered, then rank 0's ordered result).
    public internal(set) var lastPredictions: [Tensor] = []
    /// The training loader position a restored checkpoint asks for.
    var pendingDataPosition: DataLoaderPosition?
    /// The run in progress: what checkpointing needs from the generic loops.
    var activeRun: ActiveRun?
    /// The profiled stage in progress, when a profiler is on.
    var profiledRun: ProfiledRun?
    /// The module of the last `fit`, which model-less `validate`/`test`/`predict` run.
    var fittedModule: (any LightningModuleProtocol)?
    /// The loaders of the evaluation or predict stage running now (1 outside them): the
    /// one-loader steps' defaults refuse several.
    var runningLoaderCount = 1
    /// Step outputs kept for `…EpochEnd(outputs:)` hooks so far (tests check that modules
    /// without them keep none).
    var collectedEpochOutputs = 0
    private var callbacksGiven: [any Callback]
    /// The ModelCheckpoints passed to `init` (searched for `ckptPath: "last"` before a run assembles callbacks).
    var callbacksGivenCheckpoints: [ModelCheckpoint] { callbacksGiven.compactMap { $0 as? ModelCheckpoint } }
    private let loggerSetting: LoggerSetting

    /// A trainer with Lightning's arguments and defaults.
    ///
    /// `accelerator` (`auto`, `cpu`, `gpu`/`cuda`) and `devices` are checked against what the
    /// process has (its GPUs, and the processes MPI started); they never have to be set. With
    /// `gpu`, local rank r trains on GPU r; `allowDeviceSharing` lets more ranks than GPUs share
    /// them (rank r on GPU r mod count).
    public init(maxEpochs: Int? = nil, minEpochs: Int? = nil, maxSteps: Int? = nil, minSteps: Int? = nil,
                maxTime: Double? = nil, limitTrainBatches: BatchLimit = 1.0, limitValBatches: BatchLimit = 1.0,
                limitTestBatches: BatchLimit = 1.0, limitPredictBatches: BatchLimit = 1.0,
                overfitBatches: BatchLimit = 0.0,
                valCheckInterval: BatchLimit = 1.0, checkValEveryNEpoch: Int? = 1, numSanityValSteps: Int = 2,
                logEveryNSteps: Int = 50, accumulateGradBatches: Int = 1, gradientClipVal: Double? = nil,
                gradientClipAlgorithm: GradientClipAlgorithm = .norm, deterministic: Bool = false,
                benchmark: Bool? = nil, inferenceMode: Bool = true, useDistributedSampler: Bool = true, reloadDataloadersEveryNEpochs: Int = 0,
                fastDevRun: Int = 0,
                enableCheckpointing: Bool = true, enableProgressBar: Bool = true, enableModelSummary: Bool = true,
                defaultRootDir: String? = nil, callbacks: [any Callback] = [], logger: LoggerSetting = true,
                accelerator: String = "auto", devices: Int? = nil, allowDeviceSharing: Bool = false,
                strategy: (any Strategy)? = nil, profiler: ProfilerSetting? = nil,
                detectAnomaly: Bool = false, syncBatchnorm: Bool = false) {
        self.maxEpochs = maxEpochs
        self.minEpochs = minEpochs
        self.maxSteps = maxSteps
        self.minSteps = minSteps
        self.maxTime = maxTime
        self.limitTrainBatches = limitTrainBatches
        self.limitValBatches = limitValBatches
        self.limitTestBatches = limitTestBatches
        self.limitPredictBatches = limitPredictBatches
        self.overfitBatches = overfitBatches
        self.valCheckInterval = valCheckInterval
        self.checkValEveryNEpoch = checkValEveryNEpoch
        self.numSanityValSteps = numSanityValSteps
        self.logEveryNSteps = logEveryNSteps
        self.accumulateGradBatches = accumulateGradBatches
        self.gradientClipVal = gradientClipVal
        self.gradientClipAlgorithm = gradientClipAlgorithm
        self.deterministic = deterministic
        self.benchmark = benchmark
        self.inferenceMode = inferenceMode
        self.useDistributedSampler = useDistributedSampler
        self.reloadDataloadersEveryNEpochs = reloadDataloadersEveryNEpochs
        self.fastDevRun = fastDevRun
        self.enableCheckpointing = enableCheckpointing
        self.enableProgressBar = enableProgressBar
        self.enableModelSummary = enableModelSummary
        self.defaultRootDir = defaultRootDir ?? FileManager.default.currentDirectoryPath
        self.detectAnomaly = detectAnomaly
        self.syncBatchnorm = syncBatchnorm
        // The rank's device is checked before any re-run, so a missing GPU stops the program
        // started directly rather than each of its ranks.
        let relaunching = devices.map { $0 > 1 && !DistributedEnvironment.isLaunchedByMPI } ?? false
        placement = DevicePlacement.resolve(
            accelerator: accelerator, localRank: DistributedEnvironment.launcherLocalRank(),
            localWorldSize: relaunching ? devices! : DistributedEnvironment.launcherLocalWorldSize() ?? DistributedEnvironment.launcherLocalRank() + 1,
            allowDeviceSharing: allowDeviceSharing, availability: { CUDARuntime.shared.availability })
        device = (try? placement.get())?.device ?? .cpu
        // devices: N in a process started directly re-runs the program under mpirun -n N (it does
        // not return); with the strategy chosen by the caller, the count is only checked.
        var launchProblem: String?
        if strategy == nil, (try? placement.get()) != nil {
            switch NodeLaunch.decide(devices: devices) {
            case .relaunch(let processes): launchProblem = NodeLaunch.relaunch(processes: processes)
            case .refuse(let reason): launchProblem = reason
            case .runHere: break
            }
        }
        let resolvedStrategy = strategy ?? Self.defaultStrategy()
        let resolvedProfiler = profiler?.resolve()
        self.strategy = resolvedStrategy
        self.callbacksGiven = callbacks
        self.callbacks = callbacks
        self.loggerSetting = logger
        self.loggers = []
        self.argumentProblems = Self.problems(maxEpochs: maxEpochs, minEpochs: minEpochs, maxSteps: maxSteps, maxTime: maxTime, logEveryNSteps: logEveryNSteps,
                                              accumulateGradBatches: accumulateGradBatches, checkValEveryNEpoch: checkValEveryNEpoch,
                                              numSanityValSteps: numSanityValSteps, fastDevRun: fastDevRun, gradientClipVal: gradientClipVal,
                                              limits: [("limitTrainBatches", limitTrainBatches), ("limitValBatches", limitValBatches),
                                                       ("limitTestBatches", limitTestBatches), ("limitPredictBatches", limitPredictBatches),
                                                       ("overfitBatches", overfitBatches),
                                                       ("valCheckInterval", valCheckInterval)],
                                              placement: placement, devices: devices, worldSize: resolvedStrategy.worldSize,
                                              launchProblem: launchProblem)
            + Self.callbackProblems(callbacks, enableCheckpointing: enableCheckpointing, enableProgressBar: enableProgressBar)
            + (reloadDataloadersEveryNEpochs < 0 ? ["reloadDataloadersEveryNEpochs \(reloadDataloadersEveryNEpochs) must be >= 0"] : [])
            + Self.profilerProblems(resolvedProfiler)
        self.profiler = try? resolvedProfiler?.get()
        self.loggers = makeLoggers()
        TrainerLog.rank = self.strategy.globalRank
        TrainerLog.worldSize = self.strategy.worldSize
        if self.strategy.isGlobalZero, let warning = Tensor.blasKernelWarning { LogWarnings.once(warning) }
    }

    /// Data parallelism over the processes MPI started, or one process when no launcher started
    /// this one: the world comes from the launcher, never from arguments that must match it.
    static func defaultStrategy() -> any Strategy {
        DistributedEnvironment.isLaunchedByMPI ? DataParallelStrategy() : SingleDeviceStrategy()
    }

    /// Every invalid argument, reported together when a run starts.
    let argumentProblems: [String]

    // MARK: - State a module or callback reads

    /// Completed epochs, i.e. the epoch in progress (Lightning's `current_epoch`).
    public var currentEpoch: Int { progress.currentEpoch }
    /// Optimizer steps taken (Lightning's `global_step`).
    public var globalStep: Int { progress.globalStep }
    /// Metrics callbacks decide from: the latest step values and epoch values by key.
    public var callbackMetrics: [String: Double] { logConnector.callbackMetrics }
    /// The latest values sent to the loggers.
    public var loggedMetrics: [String: Double] { logConnector.loggedMetrics }
    /// The values the progress bar shows.
    public var progressBarMetrics: [String: Double] { logConnector.progressBarMetrics }
    /// The first logger, if any.
    public var logger: (any ExperimentLogger)? { loggers.first }
    /// Whether this process is rank 0.
    public var isGlobalZero: Bool { strategy.isGlobalZero }
    /// This process's rank.
    public var globalRank: Int { strategy.globalRank }
    /// The number of processes.
    public var worldSize: Int { strategy.worldSize }
    /// The run's log directory: the first logger's, else `defaultRootDir`.
    public var logDir: String { logger?.logDir ?? defaultRootDir }
    /// The first ModelCheckpoint callback.
    public var checkpointCallback: ModelCheckpoint? { callbacks.lazy.compactMap { $0 as? ModelCheckpoint }.first }
    /// Every ModelCheckpoint callback.
    public var checkpointCallbacks: [ModelCheckpoint] { callbacks.compactMap { $0 as? ModelCheckpoint } }
    /// The first EarlyStopping callback.
    public var earlyStoppingCallback: EarlyStopping? { callbacks.lazy.compactMap { $0 as? EarlyStopping }.first }
    /// Whether training is in an accumulation window that does not step the optimizer at this
    /// batch (for callbacks: the training loop tells the optimization directly).
    public internal(set) var isAccumulating = false

    private func makeLoggers() -> [any ExperimentLogger] {
        if fastDevRun > 0 { return [] }
        switch loggerSetting {
        case .automatic: return [CSVLogger(saveDir: defaultRootDir)]
        case .disabled: return []
        case .loggers(let list): return list
        }
    }

    /// The callbacks for a run: the given ones, the module's, and the defaults Lightning adds,
    /// with monitoring callbacks (ModelCheckpoint last) after the others.
    func assembleCallbacks(moduleCallbacks: [any Callback]) {
        var list = callbacksGiven
        // A module callback replaces a given one of the same type, as in Lightning.
        let moduleTypes = Set(moduleCallbacks.map { ObjectIdentifier(type(of: $0)) })
        list.removeAll { moduleTypes.contains(ObjectIdentifier(type(of: $0))) }
        list += moduleCallbacks
        if fastDevRun > 0 { list.removeAll { $0 is ModelCheckpoint || $0 is EarlyStopping } }
        if enableCheckpointing && fastDevRun == 0 && !list.contains(where: { $0 is ModelCheckpoint }) { list.append(ModelCheckpoint()) }
        if let maxTime {
            if list.contains(where: { $0 is TrainingTimer }) {
                TrainerLog.info("Ignoring Trainer(maxTime: \(maxTime)): the callbacks already hold a TrainingTimer")
            } else {
                list.append(TrainingTimer(duration: maxTime))
            }
        }
        if enableProgressBar && !list.contains(where: { $0 is ProgressBar }) { list.append(ProgressBar()) }
        if enableModelSummary && !list.contains(where: { $0 is ModelSummary }) { list.append(ModelSummary()) }
        let plain = list.filter { !($0 is MonitoringCallback) }
        let monitoring = list.filter { $0 is MonitoringCallback && !($0 is ModelCheckpoint) }
        let checkpoints = list.filter { $0 is ModelCheckpoint }
        callbacks = plain + monitoring + checkpoints
    }

    private static func problems(maxEpochs: Int?, minEpochs: Int?, maxSteps: Int?, maxTime: Double?, logEveryNSteps: Int, accumulateGradBatches: Int,
                                 checkValEveryNEpoch: Int?, numSanityValSteps: Int, fastDevRun: Int, gradientClipVal: Double?,
                                 limits: [(String, BatchLimit)], placement: Result<DevicePlacement, DevicePlacementProblem>,
                                 devices: Int?, worldSize: Int,
                                 launchProblem: String? = nil) -> [String] {
        var problems: [String] = []
        if let maxEpochs, maxEpochs < -1 { problems.append("maxEpochs \(maxEpochs) must be >= -1 (-1: no limit)") }
        if let minEpochs, minEpochs < 0 { problems.append("minEpochs \(minEpochs) must be >= 0") }
        if let maxSteps, maxSteps < -1 { problems.append("maxSteps \(maxSteps) must be >= -1 (-1: no limit)") }
        if let maxTime, !(maxTime >= 0) { problems.append("maxTime \(maxTime) must be a number of seconds >= 0") }
        if logEveryNSteps < 1 { problems.append("logEveryNSteps \(logEveryNSteps) must be >= 1") }
        if accumulateGradBatches < 1 { problems.append("accumulateGradBatches \(accumulateGradBatches) must be >= 1") }
        if let n = checkValEveryNEpoch, n < 1 { problems.append("checkValEveryNEpoch \(n) must be >= 1 or nil") }
        if numSanityValSteps < -1 { problems.append("numSanityValSteps \(numSanityValSteps) must be >= -1") }
        if fastDevRun < 0 { problems.append("fastDevRun \(fastDevRun) must be >= 0") }
        if let clip = gradientClipVal, !(clip >= 0) || !clip.isFinite { problems.append("gradientClipVal \(clip) must be finite and >= 0") }
        for (name, limit) in limits {
            do { try limit.validate(name) } catch { problems.append("\(error)") }
        }
        if case .failure(let problem) = placement { problems.append(problem.description) }
        if let launchProblem {
            problems.append(launchProblem)
        } else if let devices, devices != worldSize {
            problems.append("devices \(devices) contradicts the launcher, which started \(worldSize) process\(worldSize == 1 ? "" : "es") "
                            + "(one per device); leave devices unset, or start the job with mpirun -n \(devices)")
        }
        return problems
    }

    /// A profiler name the Trainer does not know.
    private static func profilerProblems(_ profiler: Result<any Profiler, ProfilerNameError>?) -> [String] {
        if case .failure(let problem)? = profiler { return ["\(problem)"] }
        return []
    }

    /// Callbacks that contradict the flags that turn them off (Lightning refuses these too).
    private static func callbackProblems(_ callbacks: [any Callback], enableCheckpointing: Bool, enableProgressBar: Bool) -> [String] {
        var problems: [String] = []
        if !enableCheckpointing && callbacks.contains(where: { $0 is ModelCheckpoint }) {
            problems.append("enableCheckpointing is false, but the callbacks hold a ModelCheckpoint; remove one of them")
        }
        if !enableProgressBar && callbacks.contains(where: { $0 is ProgressBar }) {
            problems.append("enableProgressBar is false, but the callbacks hold a ProgressBar; remove one of them")
        }
        return problems
    }

    /// Why `accelerator` cannot be used on this rank (what is missing), if it cannot: the CLI
    /// reports it as a configuration error before anything runs.
    public var acceleratorProblem: String? {
        if case .failure(let problem) = placement { return problem.description }
        return nil
    }

    /// Throws every invalid argument at once.
    func checkArguments() throws {
        if !argumentProblems.isEmpty {
            throw LightningError.misconfiguration("invalid Trainer arguments:\n  - " + argumentProblems.joined(separator: "\n  - "))
        }
    }
}

/// What checkpointing needs from the run in progress, whose loops are generic over the module.
final class ActiveRun {
    let module: LightningModuleBase
    /// Calls the module's `onSaveCheckpoint`.
    let moduleSaveHook: (inout Checkpoint) throws -> Void
    /// Calls the module's `lrSchedulerStep(scheduler:metric:)`.
    let lrSchedulerStep: (any LearningRateScheduler, Double?) throws -> Void
    /// The training loader's position, when training.
    var dataPosition: () -> DataLoaderPosition? = { nil }
    /// Trains from the current progress until the rule stops, with the run's loops and training
    /// loader, whose position it puts back (set during `fit`'s `onFitStart`, for
    /// ``LearningRateFinder``'s sweep).
    var trainingSweep: ((StopRule) throws -> Void)?

    init<M: LightningModuleProtocol>(module: M, moduleSaveHook: @escaping (inout Checkpoint) throws -> Void) {
        self.module = module
        self.moduleSaveHook = moduleSaveHook
        self.lrSchedulerStep = { [unowned module] scheduler, metric in try module.lrSchedulerStep(scheduler: scheduler, metric: metric) }
    }
}
