import Foundation

/// Saves checkpoints during `fit` (Lightning's `ModelCheckpoint`): the best `saveTopK` by a
/// monitored metric (or the latest when nothing is monitored), optionally `last.ckpt`, every
/// `everyNEpochs` epochs or `everyNTrainSteps` optimizer steps. Rank 0 writes; files are atomic.
public final class ModelCheckpoint: MonitoringCallback {
    /// Where checkpoints go (default: the logger's `version_N/checkpoints`).
    public private(set) var dirpath: String?
    /// The file-name template (default `{epoch}-{step}`), without `.ckpt`.
    public let filename: String?
    /// The metric that ranks checkpoints, or `nil` to keep the latest.
    public let monitor: String?
    /// Whether lower or higher `monitor` values are better.
    public let mode: MonitorMode
    /// How many best checkpoints to keep (-1: all, 0: none).
    public let saveTopK: Int
    /// Whether to also write `last.ckpt` at every save.
    public let saveLast: Bool
    /// Save every this many optimizer steps (0: off).
    public let everyNTrainSteps: Int
    /// Save every this many epochs (0: off).
    public let everyNEpochs: Int
    /// Save at the end of the training epoch rather than after validation (`nil`: decide as Lightning).
    public let saveOnTrainEpochEnd: Bool?
    /// Whether names are inserted before values in file names (`epoch=3`).
    public let autoInsertMetricName: Bool

    /// The best checkpoint so far.
    public private(set) var bestModelPath = ""
    /// Its monitored value.
    public private(set) var bestModelScore: Double?
    /// The kept checkpoints and their monitored values.
    public private(set) var bestKModels: [String: Double] = [:]
    /// The worst of the kept checkpoints.
    public private(set) var kthBestModelPath = ""
    /// Its value.
    public private(set) var kthValue: Double
    /// The latest `last.ckpt` written.
    public private(set) var lastModelPath = ""
    /// The monitored value at the latest save.
    public private(set) var currentScore: Double?
    private var lastGlobalStepSaved = -1

    /// A checkpoint callback with Lightning's defaults.
    public init(dirpath: String? = nil, filename: String? = nil, monitor: String? = nil, mode: MonitorMode = .min, saveTopK: Int = 1,
                saveLast: Bool = false, everyNTrainSteps: Int = 0, everyNEpochs: Int? = nil, saveOnTrainEpochEnd: Bool? = nil,
                autoInsertMetricName: Bool = true) {
        usagePrecondition(saveTopK >= -1, "ModelCheckpoint: saveTopK \(saveTopK) must be >= -1")
        usagePrecondition(everyNTrainSteps >= 0, "ModelCheckpoint: everyNTrainSteps \(everyNTrainSteps) must be >= 0")
        usagePrecondition((everyNEpochs ?? 0) >= 0, "ModelCheckpoint: everyNEpochs must be >= 0")
        self.dirpath = dirpath.map { ($0 as NSString).standardizingPath }
        self.filename = filename
        self.monitor = monitor
        self.mode = mode
        self.saveTopK = saveTopK
        self.saveLast = saveLast
        self.everyNTrainSteps = everyNTrainSteps
        self.everyNEpochs = everyNEpochs ?? (everyNTrainSteps == 0 ? 1 : 0)
        self.saveOnTrainEpochEnd = saveOnTrainEpochEnd
        self.autoInsertMetricName = autoInsertMetricName
        self.kthValue = mode.worst
    }

    /// Lightning's key: `ModelCheckpoint{'monitor': 'val_loss', 'mode': 'min', …}`.
    public var stateKey: String {
        let monitorText = monitor.map { "'\($0)'" } ?? "None"
        return "ModelCheckpoint{'monitor': \(monitorText), 'mode': '\(mode.rawValue)', 'every_n_train_steps': \(everyNTrainSteps), "
            + "'every_n_epochs': \(everyNEpochs), 'train_time_interval': None}"
    }

    /// Picks the directory once the logger's version is known.
    public func setup(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {
        if dirpath == nil { dirpath = "\(trainer.logDir)/checkpoints" }
    }

    /// Saves every `everyNTrainSteps` optimizer steps.
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        guard !skips(trainer), everyNTrainSteps >= 1, !trainer.isAccumulating, trainer.globalStep % everyNTrainSteps == 0 else { return }
        try save(trainer)
    }

    /// Saves at the end of the epoch when validation ran at its end (or there is none).
    public func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {
        guard !skips(trainer), savesOnTrainEpochEnd(trainer), everyNEpochs >= 1, (trainer.currentEpoch + 1) % everyNEpochs == 0 else { return }
        try save(trainer)
    }

    /// Saves after validation runs that do not fall at the end of an epoch.
    public func onValidationEnd(trainer: Trainer, module: LightningModuleBase) throws {
        guard !skips(trainer), !savesOnTrainEpochEnd(trainer), everyNEpochs >= 1, (trainer.currentEpoch + 1) % everyNEpochs == 0 else { return }
        try save(trainer)
    }

    private func skips(_ trainer: Trainer) -> Bool {
        trainer.fastDevRun > 0 || trainer.stage != .fit || trainer.sanityChecking || lastGlobalStepSaved == trainer.globalStep
    }

    private func savesOnTrainEpochEnd(_ trainer: Trainer) -> Bool {
        if let saveOnTrainEpochEnd { return saveOnTrainEpochEnd }
        if trainer.checkValEveryNEpoch != 1 { return false }
        if trainer.numValBatches == 0 { return true }
        return trainer.valCheckInterval == .fraction(1.0)
    }

    /// The monitored metrics plus `epoch` and `step`.
    private func candidates(_ trainer: Trainer) -> [String: Double] {
        var metrics = trainer.callbackMetrics
        metrics["epoch"] = Double(trainer.currentEpoch)
        metrics["step"] = Double(trainer.globalStep)
        return metrics
    }

    private func save(_ trainer: Trainer) throws {
        let metrics = candidates(trainer)
        lastGlobalStepSaved = trainer.globalStep
        try saveTopKCheckpoint(trainer, metrics: metrics)
        try saveLastCheckpoint(trainer)
    }

    private func saveTopKCheckpoint(_ trainer: Trainer, metrics: [String: Double]) throws {
        guard saveTopK != 0 else { return }
        guard let monitor else {
            let path = uniquePath(for: metrics, excluding: nil)
            let previous = bestModelPath
            try trainer.saveCheckpoint(to: path)
            if saveTopK == 1 && !previous.isEmpty && previous != path { remove(previous, trainer) }
            bestModelPath = path
            return
        }
        guard let current = metrics[monitor] else {
            return try trainer.missingMonitoredMetric(monitor, by: "ModelCheckpoint(monitor: \"\(monitor)\")")
        }
        currentScore = current
        let score = current.isNaN ? mode.worst : current
        let k = saveTopK == -1 ? bestKModels.count + 1 : saveTopK
        guard saveTopK == -1 || bestKModels.count < k || mode.isBetter(score, than: kthValue) else { return }
        var removed: String?
        if bestKModels.count == k && k > 0 {
            removed = kthBestModelPath
            bestKModels[kthBestModelPath] = nil
        }
        let path = uniquePath(for: metrics, excluding: removed)
        try trainer.saveCheckpoint(to: path)
        bestKModels[path] = score
        if bestKModels.count == k {
            let worst = bestKModels.max { mode.isBetter($0.value, than: $1.value) }!
            kthBestModelPath = worst.key
            kthValue = worst.value
        }
        let best = bestKModels.min { mode.isBetter($0.value, than: $1.value) }!
        bestModelPath = best.key
        bestModelScore = best.value
        if let removed, removed != path { remove(removed, trainer) }
    }

    private func saveLastCheckpoint(_ trainer: Trainer) throws {
        guard saveLast, let dirpath else { return }
        let path = "\(dirpath)/last.ckpt"
        try trainer.saveCheckpoint(to: path)
        lastModelPath = path
    }

    /// The file for `metrics`, with `-v1`, `-v2`, … when a different file already has the name.
    private func uniquePath(for metrics: [String: Double], excluding replaceable: String?) -> String {
        let base = CheckpointFilename.format(filename ?? "{epoch}-{step}", metrics: metrics, autoInsertMetricName: autoInsertMetricName)
        let directory = dirpath ?? "."
        var path = "\(directory)/\(base).ckpt"
        var version = 1
        while FileManager.default.fileExists(atPath: path) && path != replaceable && bestKModels[path] == nil && path != lastModelPath {
            path = "\(directory)/\(base)-v\(version).ckpt"
            version += 1
        }
        return path
    }

    private func remove(_ path: String, _ trainer: Trainer) {
        guard trainer.isGlobalZero else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The callback's checkpointed state (Lightning's keys, plus `mode`, which Lightning keeps
    /// only in the state key and a reader needs to rank the recorded scores).
    struct State: Codable {
        var monitor: String?
        var mode: String?
        var best_model_score: Double?
        var best_model_path: String
        var current_score: Double?
        var dirpath: String?
        var best_k_models: [String: Double]
        var kth_best_model_path: String
        var kth_value: Double
        var last_model_path: String
        var last_global_step_saved: Int?
    }

    /// Lightning's state keys: best and k-best paths and scores, last path, directory.
    public func stateDict() throws -> JSONValue? {
        try JSONValue(encoding: State(monitor: monitor, mode: mode.rawValue, best_model_score: bestModelScore, best_model_path: bestModelPath, current_score: currentScore,
                                      dirpath: dirpath, best_k_models: bestKModels, kth_best_model_path: kthBestModelPath, kth_value: kthValue,
                                      last_model_path: lastModelPath, last_global_step_saved: lastGlobalStepSaved))
    }

    /// Restores the best model; the k-best bookkeeping too when the directory is the same.
    public func loadStateDict(_ state: JSONValue) throws {
        let saved: State = try state.decode()
        bestModelScore = saved.best_model_score
        bestModelPath = saved.best_model_path
        currentScore = saved.current_score
        lastGlobalStepSaved = saved.last_global_step_saved ?? -1
        if saved.dirpath == dirpath {
            bestKModels = saved.best_k_models
            kthBestModelPath = saved.kth_best_model_path
            kthValue = saved.kth_value
            lastModelPath = saved.last_model_path
        }
    }
}
