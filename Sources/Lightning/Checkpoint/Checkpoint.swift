/// Everything needed to continue a run, as one safetensors file (`epoch=E-step=S.ckpt`):
/// the model's state dict, optimizer tensors under `optimizer.<i>.<parameter>.<state>`, and
/// JSON in the file's metadata (epoch, step, loop progress, callback states, hyperparameters,
/// scheduler states, generator states, data position, world size, format version).
///
/// Nothing in a checkpoint executes on load, and Python reads it with `safetensors`:
/// `safe_open(path, "pt").metadata()` maps each metadata key to its JSON text.
public struct Checkpoint {
    /// The model's parameters and buffers by state-dict name.
    public var stateDict: [String: Tensor]
    /// Optimizer `i`'s state tensors by `<parameter name>.<state name>`.
    public var optimizerTensors: [[String: Tensor]]
    /// Everything else by key (`epoch`, `global_step`, `loops`, `callbacks`, …); modules and
    /// callbacks may add their own keys in `onSaveCheckpoint`.
    public var metadata: [String: JSONValue]

    /// A checkpoint from its parts.
    public init(stateDict: [String: Tensor], optimizerTensors: [[String: Tensor]] = [], metadata: [String: JSONValue] = [:]) {
        self.stateDict = stateDict
        self.optimizerTensors = optimizerTensors
        self.metadata = metadata
    }

    /// The epoch the checkpoint was taken in.
    public var epoch: Int? { metadata[CheckpointKey.epoch]?.number.map { Int($0) } }
    /// Optimizer steps taken when the checkpoint was taken.
    public var globalStep: Int? { metadata[CheckpointKey.globalStep]?.number.map { Int($0) } }
    /// The hyperparameters the module saved.
    public var hyperparameters: Hyperparameters {
        (try? metadata[CheckpointKey.hyperParameters]?.decode(as: Hyperparameters.self)) ?? [:]
    }
}

/// The metadata keys of a checkpoint (Lightning's checkpoint dictionary keys where they exist).
public enum CheckpointKey {
    /// The epoch.
    public static let epoch = "epoch"
    /// Optimizer steps taken.
    public static let globalStep = "global_step"
    /// Loop progress.
    public static let loops = "loops"
    /// Callback states by state key.
    public static let callbacks = "callbacks"
    /// Hyperparameters.
    public static let hyperParameters = "hyper_parameters"
    /// The name the hyperparameters were saved under.
    public static let hparamsName = "hparams_name"
    /// Optimizer scalars (types, groups, hyperparameters).
    public static let optimizerStates = "optimizer_states"
    /// Scheduler states.
    public static let lrSchedulers = "lr_schedulers"
    /// Generator states.
    public static let rngStates = "rng_states"
    /// The training loader's position.
    public static let dataPosition = "data_position"
    /// The current epoch's logged results, for an exact mid-epoch resume.
    public static let loggedResults = "logged_results"
    /// The number of processes that trained.
    public static let worldSize = "world_size"
    /// The checkpoint format version.
    public static let formatVersion = "format_version"
    /// The library version that wrote it.
    public static let libraryVersion = "swift-lightning_version"
    /// The names of the model's state-dict tensors.
    public static let stateDictKeys = "state_dict_keys"
}
