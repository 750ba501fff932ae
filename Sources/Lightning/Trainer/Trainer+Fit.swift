import Foundation

/// `fit`: train with validation, checkpoints and logging.
extension Trainer {
    /// Trains `model` on `trainDataloaders`, validating on `valDataloaders`; `ckptPath`
    /// (`"last"`, `"best"` or a file) resumes a run exactly where its checkpoint was taken.
    public func fit<M: LightningModuleProtocol>(_ model: M, trainDataloaders: DataLoader<M.Batch>,
                                                 valDataloaders: DataLoader<M.Batch>? = nil, ckptPath: String? = nil) throws {
        try runFit(model, data: .loaders(train: trainDataloaders, val: valDataloaders), ckptPath: ckptPath)
    }

    /// Trains `model` on the data module's training loader, validating on its validation loader.
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
            guard let baseTrain = try data.train() else {
                throw LightningError.misconfiguration("fit: no training data; pass trainDataloaders or a data module whose trainDataLoader() returns a loader")
            }
            let trainLoader = strategy.trainingLoader(baseTrain)
            let baseVal = try data.val()
            let valLoader = baseVal.map { strategy.evaluationLoader($0) }
            try configureOptimizers(hooks)
            model.flattenGradients()
            try strategy.setup(module: model)
            numTrainingBatches = batchPlan(.train, base: baseTrain).local
            // Whether validation runs is decided from every rank's plan, so every rank takes part
            // even when its own shard is empty; each rank then runs its shard's batches.
            let valPlan = baseVal.map { batchPlan(.validation, base: $0) }
            numValBatches = valPlan?.total ?? 0
            activeRun?.dataPosition = { [weak trainLoader] in trainLoader?.position }
            var restored = false
            if let ckptPath {
                try restore(from: resolveCheckpointPath(ckptPath, stage: .fit), hooks: hooks, full: true)
                if let position = pendingDataPosition {
                    try trainLoader.resume(from: position)
                    pendingDataPosition = nil
                }
                restored = true
            }
            try logHyperparameters(model)
            try hooks.onFitStart()
            let validationEnabled = valPlan?.runsOnAnyRank ?? false
            let evaluation = EvaluationLoop(hooks: hooks, stage: .validation)
            if validationEnabled, let valLoader, let valPlan, !restored {
                try sanityCheck(evaluation, loader: valLoader, plan: valPlan)
            }
            let validation = valLoader.map { ValidationRunner(loop: evaluation, loader: $0, limit: valPlan?.local ?? 0, enabled: validationEnabled) }
            let rule = stopRule
            let epochLoop = TrainingEpochLoop(hooks: hooks, loader: trainLoader, batches: numTrainingBatches, validation: validation, rule: rule)
            TerminationSignals.install()
            defer { TerminationSignals.uninstall() }
            try FitLoop(hooks: hooks, epochLoop: epochLoop, rule: rule).run()
            try hooks.onFitEnd()
            try endRun(hooks, data: data, stage: .fit, status: "success")
        } catch {
            failRun(hooks, error: error)
            throw error
        }
    }

    /// The validation batches run before training to catch bugs in `validationStep` early; their
    /// metrics are dropped.
    private func sanityCheck<M>(_ evaluation: EvaluationLoop<M>, loader: DataLoader<M.Batch>, plan: BatchPlan) throws {
        guard fastDevRun == 0 else { return }
        // numSanityValSteps counts per rank within validation's own batches (-1: all of them).
        let sanity = plan.capped(by: numSanityValSteps == -1 ? .fraction(1) : .count(numSanityValSteps))
        guard sanity.runsOnAnyRank else { return }
        sanityChecking = true
        defer { sanityChecking = false }
        try evaluation.hooks.onSanityCheckStart()
        _ = try evaluation.run(loader: loader, limit: sanity.local, sanityCheck: true)
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
