import Foundation

/// `fit`: train with validation, checkpoints and logging.
extension Trainer {
    /// Trains `model` on `trainDataloaders`, validating on `valDataloaders`; `ckptPath`
    /// (`"last"`, `"best"` or a file) resumes a run exactly where its checkpoint was taken.
    public func fit<M: LightningModuleProtocol>(_ model: M, trainDataloaders: DataLoader<M.Batch>,
                                                 valDataloaders: DataLoader<M.Batch>? = nil, ckptPath: String? = nil) throws {
        try runFit(model, data: .loaders(train: trainDataloaders, val: valDataloaders.map { [$0] } ?? []), ckptPath: ckptPath)
    }

    /// Trains `model` on `trainDataloaders`, validating on every loader of `valDataloaders` one
    /// after the other: the module's steps get each batch's `dataloaderIndex` and its metrics
    /// are keyed `name/dataloader_idx_N` (see ``LightningModuleProtocol/validationStep(_:batchIndex:dataloaderIndex:)``).
    public func fit<M: LightningModuleProtocol>(_ model: M, trainDataloaders: DataLoader<M.Batch>,
                                                 valDataloaders: [DataLoader<M.Batch>], ckptPath: String? = nil) throws {
        try runFit(model, data: .loaders(train: trainDataloaders, val: valDataloaders), ckptPath: ckptPath)
    }

    /// Trains `model` on the data module's training loader, validating on its validation loaders.
    public func fit<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil) throws
    where D.Batch == M.Batch {
        try runFit(model, data: .module(datamodule), ckptPath: ckptPath)
    }

    private func runFit<M: LightningModuleProtocol>(_ model: M, data: DataSource<M.Batch>, ckptPath: String?) throws {
        try checkArguments()
        let hooks = try beginRun(model, stage: .fit)
        fittedModule = model
        do {
            try prepare(data, hooks: hooks, stage: .fit)
            let loaders = FitLoaders(trainer: self, data: data)
            let train = try loaders.train()
            let val = try loaders.val()
            try configureOptimizers(hooks)
            model.flattenGradients()
            if syncBatchnorm { model.synchronizeBatchNorm(with: strategy.batchStatistics) }
            try strategy.setup(module: model)
            numTrainingBatches = train.plan.local
            // Whether validation runs is decided from every rank's plans, so every rank takes part
            // even when its own shards are empty; each rank then runs its shards' batches. The
            // limit applies to each loader, as Lightning's limit_val_batches does.
            numValBatches = val.reduce(0) { $0 + $1.plan.total }
            activeRun?.dataPosition = { [weak trainLoader = train.loader] in trainLoader?.position }
            var restored = false
            if let ckptPath {
                try restore(from: resolveCheckpointPath(ckptPath, stage: .fit), hooks: hooks, full: true)
                if let position = pendingDataPosition {
                    try train.loader.resume(from: position)
                    pendingDataPosition = nil
                }
                loaders.resumed()
                restored = true
            }
            try logHyperparameters(model)
            // A LearningRateFinder sweeps in onFitStart with the run's own loops and loader.
            activeRun?.trainingSweep = { rule in
                let position = train.loader.position
                let sweep = TrainingEpochLoop(hooks: hooks, loader: train.loader, batches: train.plan.local, validation: nil, rule: rule)
                try FitLoop(hooks: hooks, epochLoop: sweep, rule: rule).run()
                try train.loader.resume(from: position)
            }
            try hooks.onFitStart()
            activeRun?.trainingSweep = nil
            let evaluation = EvaluationLoop(hooks: hooks, stage: .validation)
            if val.contains(where: \.plan.runsOnAnyRank) && !restored {
                try sanityCheck(evaluation, loaders: val.map(\.loader), plans: val.map(\.plan))
            }
            let validation = val.isEmpty ? nil : ValidationRunner(loop: evaluation, loaders: loaders, first: val)
            let rule = stopRule
            let epochLoop = TrainingEpochLoop(hooks: hooks, loader: train.loader, batches: numTrainingBatches, validation: validation,
                                              rule: rule, loaders: loaders)
            TerminationSignals.install()
            defer { TerminationSignals.uninstall() }
            // Training alone, as Lightning's `set_detect_anomaly` around the fit loop.
            try withAnomalyDetection(detectAnomaly) { try FitLoop(hooks: hooks, epochLoop: epochLoop, rule: rule).run() }
            try hooks.onFitEnd()
            try endRun(hooks, data: data, stage: .fit, status: "success")
        } catch {
            failRun(hooks, error: error)
            throw error
        }
    }

    /// The validation batches run before training to catch bugs in `validationStep` early; their
    /// metrics are dropped.
    private func sanityCheck<M>(_ evaluation: EvaluationLoop<M>, loaders: [DataLoader<M.Batch>], plans: [BatchPlan]) throws {
        guard fastDevRun == 0 else { return }
        // numSanityValSteps counts per rank and per loader within validation's own batches (-1: all of them).
        let sanity = plans.map { $0.capped(by: numSanityValSteps == -1 ? .fraction(1) : .count(numSanityValSteps)) }
        guard sanity.contains(where: \.runsOnAnyRank) else { return }
        sanityChecking = true
        defer { sanityChecking = false }
        try evaluation.hooks.onSanityCheckStart()
        _ = try evaluation.run(loaders: loaders, limits: sanity.map(\.local), sanityCheck: true)
        try evaluation.hooks.onSanityCheckEnd()
        logConnector.validation.reset()
    }
}

/// What every stage does at its start and end.
extension Trainer {
    /// Attaches the module, assembles callbacks and agrees on the log version.
    func beginRun<M: LightningModuleProtocol>(_ model: M, stage: Stage) throws -> HookDispatcher<M> {
        self.stage = stage
        model.trainer = self
        // predict logs nothing, so the metrics of the last fit or evaluation stay readable.
        if stage != .predict { logConnector.resetAll() }
        shouldStop = false
        if stage == .fit { progress = FitProgress() }
        assembleCallbacks(moduleCallbacks: model.configureCallbacks())
        beginProfiling(model)
        let hooks = HookDispatcher(trainer: self, module: model)
        activeRun = ActiveRun(module: model, moduleSaveHook: { checkpoint in try hooks.onSaveCheckpoint(&checkpoint) })
        // Rank 0 picks the version directory; every rank adopts it, so all agree on paths.
        for logger in loggers {
            let version = try strategy.broadcast(isGlobalZero ? logger.version : "")
            logger.adoptVersion(version)
        }
        return hooks
    }

    /// `prepareData` (rank 0, then every rank waits), then callbacks' and the module's `setup`
    /// and the data's.
    func prepare<M>(_ data: DataSource<M.Batch>, hooks: HookDispatcher<M>, stage: Stage) throws {
        if isGlobalZero {
            try data.prepare()
            try hooks.module("prepare_data") { try $0.prepareData() }
        }
        try strategy.barrier("prepareData")
        try data.setup(stage)
        try hooks.setup(stage)
        // After setup, as Lightning moves the model: layers built in setup move too.
        if !device.isCPU { moveToDevice(hooks.module) }
    }

    /// Moves the module to the rank's device, once per run, saying where (each rank: their
    /// devices differ).
    func moveToDevice(_ module: Module) {
        if module.device != device, case .success(let placement) = placement {
            TrainerLog.info("rank \(globalRank) trains on \(placement.note ?? placement.device.description)")
        }
        module.to(device)
    }

    /// Writes the hyperparameters (rank 0).
    func logHyperparameters(_ model: LightningModuleBase) throws {
        guard isGlobalZero else { return }
        for logger in loggers { try logger.logHyperparams(model.hparams) }
    }

    /// Teardown hooks, loggers finalized, the module detached.
    func endRun<M>(_ hooks: HookDispatcher<M>, data: DataSource<M.Batch>, stage: Stage, status: String) throws {
        try hooks.teardown(stage)
        try data.teardown(stage)
        if isGlobalZero { for logger in loggers { try logger.finalize(status: status) } }
        try reportProfile(stage)
        finishRun(hooks.module)
    }

    /// Exception hooks, loggers finalized as failed (best effort), the module detached.
    func failRun<M>(_ hooks: HookDispatcher<M>, error: Error) {
        hooks.onException(error)
        strategy.runFailed(error)
        if isGlobalZero { for logger in loggers { try? logger.finalize(status: "failed") } }
        finishRun(hooks.module)
    }

    private func finishRun(_ module: LightningModuleBase) {
        endProfiling()
        module.trainer = nil
        module.runtime = ModuleRuntime()
        activeRun = nil
        stage = nil
        logConnector.hook = nil
    }
}
