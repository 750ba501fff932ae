/// Optimizers, schedulers, clipping and logger output: what the loops ask the Trainer to do.
extension Trainer {
    /// Calls `configureOptimizers` and installs its optimizers and schedulers.
    func configureOptimizers<M: LightningModuleProtocol>(_ hooks: HookDispatcher<M>) throws {
        let config = try hooks.module("configure_optimizers") { try $0.configureOptimizers() }
        let module = hooks.module
        try check(config, of: module)
        optimizers = config.optimizers
        lrSchedulerConfigs = config.entries.compactMap(\.scheduler)
        var visible = config
        if !module.automaticOptimization {
            // Manual optimization: stepping an optimizer goes through the hooks, clips that
            // optimizer's gradients (not the other networks') and counts a global step.
            for i in visible.entries.indices {
                let base = visible.entries[i].optimizer
                visible.entries[i].optimizer = LightningOptimizer(base) { [unowned self] optimizer in
                    try hooks.onBeforeOptimizerStep(optimizer)
                    self.clipGradients(optimizer.parameters)
                    optimizer.step()
                    self.progress.globalStep += 1
                }
            }
        }
        module.runtime.configuration = visible
    }

    /// Throws for a configuration the run cannot train with, naming what to change.
    private func check(_ config: OptimizerConfig, of module: LightningModuleBase) throws {
        guard !config.entries.isEmpty else {
            throw LightningError.misconfiguration("\(type(of: module)).configureOptimizers returned no optimizer")
        }
        if module.automaticOptimization && config.entries.count > 1 {
            throw LightningError.misconfiguration("\(type(of: module)).configureOptimizers returned \(config.entries.count) optimizers; "
                + "several optimizers need manual optimization: set automaticOptimization = false in init and step each of optimizers() in trainingStep")
        }
        if !module.automaticOptimization && accumulateGradBatches > 1 {
            throw LightningError.misconfiguration("Trainer(accumulateGradBatches: \(accumulateGradBatches)) accumulates gradients for automatic optimization; "
                + "\(type(of: module)) optimizes manually, so remove it and step the optimizers every \(accumulateGradBatches) batches in trainingStep")
        }
        for scheduled in config.entries.compactMap(\.scheduler) {
            let scheduler = scheduled.scheduler
            if scheduler is ReduceLROnPlateau && scheduled.monitor == nil {
                throw LightningError.misconfiguration("configureOptimizers: ReduceLROnPlateau needs LRSchedulerConfig(monitor:) naming the metric it is driven by")
            }
            if let driven = scheduler.optimizerIdentity, !config.optimizers.contains(where: { ObjectIdentifier($0) == driven }) {
                throw LightningError.misconfiguration("configureOptimizers: a \(type(of: scheduler)) drives an optimizer that configureOptimizers did not return")
            }
        }
    }

    /// Clips the gradients of `parameters` as `gradientClipVal` / `gradientClipAlgorithm` say
    /// (manual optimization: each optimizer's own parameters when it steps).
    func clipGradients(_ parameters: [Parameter]) {
        guard let clip = gradientClipVal, clip > 0 else { return }
        gradientClipAlgorithm.clip(parameters, to: clip)
    }

    /// Steps the schedulers of `interval` whose frequency is due, through the module's
    /// `lrSchedulerStep`; plateau schedulers read their monitored metric from `callbackMetrics`. Under manual optimization the module steps its
    /// schedulers itself (``LightningModuleBase/lrSchedulers()``), as in Lightning.
    func stepSchedulers(interval: LRSchedulerConfig.Interval, plateauOnly: Bool, skipPlateau: Bool = false) throws {
        guard let run = activeRun, run.module.automaticOptimization else { return }
        let count = interval == .step ? globalStep : currentEpoch + 1
        for config in lrSchedulerConfigs where config.interval == interval && count % config.frequency == 0 {
            if let plateau = config.scheduler as? ReduceLROnPlateau {
                if skipPlateau { continue }
                guard let key = config.monitor else { continue }
                guard let value = callbackMetrics[key] else {
                    if config.strict {
                        try missingMonitoredMetric(key, by: "ReduceLROnPlateau (LRSchedulerConfig.monitor)")
                        continue
                    }
                    LogWarnings.once("ReduceLROnPlateau monitors '\(key)', which is not available, and strict is false: skipping the learning rate update")
                    continue
                }
                try run.lrSchedulerStep(plateau, value)
            } else if !plateauOnly {
                try run.lrSchedulerStep(config.scheduler, nil)
            }
        }
    }

    /// Sends `metrics` (with `epoch`) to every logger at `step`; rank 0 only.
    func sendToLoggers(_ metrics: [String: Double], step: Int) throws {
        logConnector.noteLogged(metrics)
        guard isGlobalZero, !loggers.isEmpty else { return }
        var row = metrics
        row["epoch"] = Double(currentEpoch)
        for logger in loggers { try logger.logMetrics(row, step: step) }
    }

    /// Has every logger write what it buffered (at the end of each training epoch, so files
    /// such as metrics.csv and metrics.svg show every finished epoch); rank 0 only.
    func saveLoggers() throws {
        guard isGlobalZero else { return }
        for logger in loggers { try logger.save() }
    }
}
