import Foundation

/// Saving a run as a ``Checkpoint`` and restoring one, so a resumed run continues exactly.
extension Trainer {
    /// Saves a checkpoint of the run in progress to `path`: every process assembles it, rank 0
    /// writes it atomically, then all meet at a barrier.
    public func saveCheckpoint(to path: String) throws {
        try profiled(ProfiledRun.saveCheckpoint) { try writeCheckpoint(to: path) }
    }

    /// ``saveCheckpoint(to:)``'s work, timed as one action when profiling.
    private func writeCheckpoint(to path: String) throws {
        guard let run = activeRun else {
            throw LightningError.misconfiguration("saveCheckpoint(to: \(path)): no run is in progress")
        }
        let checkpoint = try makeCheckpoint(run)
        if isGlobalZero {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                } catch {
                    throw LightningError.checkpoint(path: path, reason: "could not create its directory: \(error.localizedDescription)")
                }
            }
            try CheckpointIO.write(checkpoint, to: path)
        }
        try strategy.barrier("saveCheckpoint")
    }

    /// Everything the run needs to continue, then the callbacks' and the module's `onSaveCheckpoint`.
    func makeCheckpoint(_ run: ActiveRun) throws -> Checkpoint {
        let module = run.module
        var checkpoint = Checkpoint(stateDict: module.stateDict())
        let names = parameterNames(of: module)
        var optimizerScalars: [JSONValue] = []
        for optimizer in baseOptimizers {
            let state = optimizer.stateDict()
            checkpoint.optimizerTensors.append(state.namedTensors(parameterNames: optimizer.parameters.map { names[ObjectIdentifier($0)] ?? "?" }))
            optimizerScalars.append(try JSONValue(encoding: state.scalars))
        }
        var callbackStates: [String: JSONValue] = [:]
        for callback in callbacks {
            if let state = try callback.stateDict() { callbackStates[callback.stateKey] = state }
        }
        var metadata: [String: JSONValue] = [
            CheckpointKey.epoch: .number(Double(currentEpoch)),
            CheckpointKey.globalStep: .number(Double(globalStep)),
            CheckpointKey.loops: .object([
                "fit_loop": try JSONValue(encoding: progress),
                "validate_loop": .object([:]), "test_loop": .object([:]), "predict_loop": .object([:]),
            ]),
            CheckpointKey.callbacks: .object(callbackStates),
            CheckpointKey.hyperParameters: try JSONValue(encoding: module.hparams),
            CheckpointKey.hparamsName: .string("kwargs"),
            CheckpointKey.optimizerStates: .array(optimizerScalars),
            CheckpointKey.lrSchedulers: .array(try lrSchedulerConfigs.map { try JSONValue(encoding: $0.scheduler.stateDict()) }),
            CheckpointKey.rngStates: .object(["default": try JSONValue(encoding: Generator.default.state)]),
            CheckpointKey.loggedResults: .object(["train": try JSONValue(encoding: logConnector.train.state)]),
            CheckpointKey.worldSize: .number(Double(worldSize)),
            CheckpointKey.libraryVersion: .string(CheckpointIO.libraryVersion),
        ]
        if let position = run.dataPosition() { metadata[CheckpointKey.dataPosition] = try JSONValue(encoding: position) }
        checkpoint.metadata = metadata
        try run.moduleSaveHook(&checkpoint)
        return checkpoint
    }

    /// The optimizers as configured (manual optimization's wrappers removed).
    var baseOptimizers: [any Optimizer] { optimizers.map { ($0 as? LightningOptimizer)?.base ?? $0 } }

    /// Each parameter's state-dict name.
    private func parameterNames(of module: Module) -> [ObjectIdentifier: String] {
        var names: [ObjectIdentifier: String] = [:]
        for (name, parameter) in module.namedParameters() { names[ObjectIdentifier(parameter)] = name }
        return names
    }

    /// Reads `path` and restores the module's weights; with `full`, also the optimizers,
    /// schedulers, progress, callbacks, generators, logged results and data position (a
    /// PyTorch Lightning `.ckpt` gives weights only).
    func restore<M>(from path: String, hooks: HookDispatcher<M>, full: Bool) throws {
        let checkpoint = try CheckpointIO.read(path: path)
        try hooks.onLoadCheckpoint(checkpoint)
        let module = hooks.module
        try module.loadWeights(of: checkpoint, from: path, strict: true)
        guard full else { return }
        if checkpoint.isFromPyTorchLightning {
            let optimizers = restorePyTorchOptimizers(checkpoint)
            TrainerLog.info("\(path) is a PyTorch Lightning checkpoint: loaded its weights\(optimizers); training starts at epoch 0")
            return
        }
        if let saved = checkpoint.metadata[CheckpointKey.worldSize]?.number, Int(saved) != worldSize {
            throw LightningError.checkpoint(path: path, reason: "was written by a run of \(Int(saved)) processes and this run has \(worldSize); "
                + "resuming at another world size would replay other data shards (load the weights with validate/test/predict, or with module.loadFromCheckpoint(path) and fit without ckptPath)")
        }
        try restoreOptimizers(checkpoint, module: module, path: path)
        try restoreTrainingState(checkpoint, path: path)
    }

    /// Loads a PyTorch Lightning checkpoint's optimizer tensors into optimizers whose layout
    /// matches (same parameter count per group, state names this optimizer keeps, shapes);
    /// the others start fresh. Returns what it did, for the log.
    private func restorePyTorchOptimizers(_ checkpoint: Checkpoint) -> String {
        guard checkpoint.optimizerTensors.count == baseOptimizers.count, !baseOptimizers.isEmpty else {
            return " (not its optimizer state: it holds \(checkpoint.optimizerTensors.count) optimizers, this run has \(baseOptimizers.count))"
        }
        var notes: [String] = []
        for (i, optimizer) in baseOptimizers.enumerated() {
            var state = optimizer.stateDict()
            state.tensors = checkpoint.pytorchOptimizerState(i)
            do {
                try optimizer.loadStateDict(state)
                notes.append("optimizer \(i): state loaded")
            } catch {
                notes.append("optimizer \(i): fresh state (\(error))")
            }
        }
        return "; " + notes.joined(separator: "; ")
    }

    private func restoreOptimizers(_ checkpoint: Checkpoint, module: Module, path: String) throws {
        guard case .array(let scalars)? = checkpoint.metadata[CheckpointKey.optimizerStates], scalars.count == baseOptimizers.count else {
            throw LightningError.checkpoint(path: path, reason: "holds state for a different number of optimizers than configureOptimizers returned (\(baseOptimizers.count))")
        }
        let names = parameterNames(of: module)
        for (i, optimizer) in baseOptimizers.enumerated() {
            do {
                let parameterNames = optimizer.parameters.map { names[ObjectIdentifier($0)] ?? "?" }
                let tensors = try OptimizerState.tensors(fromNamed: i < checkpoint.optimizerTensors.count ? checkpoint.optimizerTensors[i] : [:],
                                                         parameterNames: parameterNames)
                try optimizer.loadStateDict(OptimizerState(tensors: tensors, scalars: scalars[i].decode()))
            } catch {
                throw LightningError.checkpoint(path: path, reason: "optimizer \(i): \(error)")
            }
        }
        guard case .array(let schedulerStates)? = checkpoint.metadata[CheckpointKey.lrSchedulers], schedulerStates.count == lrSchedulerConfigs.count else {
            throw LightningError.checkpoint(path: path, reason: "holds state for a different number of LR schedulers than configureOptimizers returned (\(lrSchedulerConfigs.count))")
        }
        for (i, config) in lrSchedulerConfigs.enumerated() {
            do {
                try config.scheduler.loadStateDict(schedulerStates[i].decode())
            } catch {
                throw LightningError.checkpoint(path: path, reason: "LR scheduler \(i): \(error)")
            }
        }
    }

    private func restoreTrainingState(_ checkpoint: Checkpoint, path: String) throws {
        do {
            guard let fit = checkpoint.metadata[CheckpointKey.loops]?["fit_loop"] else {
                throw LightningError.checkpoint(path: path, reason: "has no loop progress ('loops.fit_loop')")
            }
            progress = try fit.decode()
            if case .object(let states)? = checkpoint.metadata[CheckpointKey.callbacks] {
                for callback in callbacks {
                    if let state = states[callback.stateKey] { try callback.loadStateDict(state) }
                }
            }
            if let rng = checkpoint.metadata[CheckpointKey.rngStates]?["default"] {
                Generator.default.state = try rng.decode(as: Generator.State.self)
            }
            if let train = checkpoint.metadata[CheckpointKey.loggedResults]?["train"] {
                logConnector.train.restore(try train.decode())
            }
            pendingDataPosition = try checkpoint.metadata[CheckpointKey.dataPosition]?.decode()
        } catch let error as LightningError {
            throw error
        } catch {
            throw LightningError.checkpoint(path: path, reason: "training state could not be restored: \(error)")
        }
    }

    /// `"best"` and `"last"` resolved to files (see ``checkpointPath(for:)``); other paths must exist.
    func resolveCheckpointPath(_ path: String, stage: Stage) throws -> String {
        if let alias = CheckpointAlias(rawValue: path) {
            guard let file = try checkpointPath(for: alias) else {
                throw LightningError.checkpoint(path: path, reason: "no \(path) checkpoint found: no ModelCheckpoint has saved one in this process, "
                    + "and none of \(checkpointDirectories.map(\.path).joined(separator: ", ")) holds a .ckpt file (pass a file path instead)")
            }
            return file
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw LightningError.checkpoint(path: path, reason: "no such file")
        }
        return path
    }
}
