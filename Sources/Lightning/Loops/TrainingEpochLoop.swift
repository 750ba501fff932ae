/// One training epoch: batches, optimization, step logging and the validation runs that fall
/// inside the epoch (Lightning's `_TrainingEpochLoop`).
///
/// Each batch goes through the points of ``FitProgress/Point`` in order; a checkpoint taken at a
/// point records it, and a resumed run continues with what follows that point, so it does
/// exactly what the uninterrupted run would have.
final class TrainingEpochLoop<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    private(set) var loader: DataLoader<M.Batch>
    /// The batches of each epoch (this rank's share, from the stage's ``BatchPlan``).
    private(set) var batches: Int
    let validation: ValidationRunner<M>?
    let rule: StopRule
    /// Where the training loader is requested again at an epoch's start, when it is due
    /// (`nil`: the loader stays, as in the learning-rate sweep).
    let loaders: FitLoaders<M.Batch>?
    let optimization: Optimization<M>
    /// The epoch's step outputs for ``LightningModuleProtocol/trainingEpochEnd(outputs:)``.
    var outputs = EpochOutputs<M.TrainingOutput>(enabled: M.collectsEpochOutputs)
    var trainer: Trainer { hooks.trainer }

    init(hooks: HookDispatcher<M>, loader: DataLoader<M.Batch>, batches: Int, validation: ValidationRunner<M>?, rule: StopRule,
         loaders: FitLoaders<M.Batch>? = nil) {
        self.hooks = hooks
        self.loader = loader
        self.batches = batches
        self.validation = validation
        self.rule = rule
        self.loaders = loaders
        self.optimization = Optimization(hooks: hooks)
    }

    /// Runs (or finishes, when resuming) the current epoch.
    func run() throws {
        let trainer = self.trainer
        switch trainer.progress.point {
        case .afterEpochEnd:
            try finishEpoch()
            return
        case .afterBatchEnd, .afterValidation:
            try finishBatch(trainer.progress.batchIndex, from: trainer.progress.point)
        case .batchStart:
            if trainer.progress.batchIndex == 0 {
                try reloadLoaderIfDue()
                loader.setEpoch(trainer.currentEpoch)
                try hooks.onTrainEpochStart()
            }
        }
        var index = trainer.progress.batchIndex
        if index < batches && !rule.endsEpoch(trainer.stopState) {
            var fetcher = loader.makeIterator()
            while let batch = trainer.profiled(ProfiledRun.trainDataloaderNext, { fetcher.next().map(hooks.onDevice) }) {
                try runBatch(batch, index)
                try finishBatch(index, from: .afterBatchEnd)
                index += 1
                if index >= batches || rule.endsEpoch(trainer.stopState) { break }
            }
        }
        trainer.progress.point = .afterEpochEnd
        try endEpoch()
    }

    /// Requests the training loader again when `reloadDataloadersEveryNEpochs` says so (before
    /// the epoch's sampler epoch and start hooks, as Lightning's `on_advance_start`).
    private func reloadLoaderIfDue() throws {
        guard let loaders, loaders.trainDue else { return }
        let train = try loaders.train()
        loader = train.loader
        batches = train.plan.local
        trainer.numTrainingBatches = batches
        trainer.activeRun?.dataPosition = { [weak trainLoader = train.loader] in trainLoader?.position }
    }

    /// Start hooks, the step (with backward and the optimizer when automatic) and end hooks.
    private func runBatch(_ batch: M.Batch, _ index: Int) throws {
        let trainer = self.trainer
        trainer.logConnector.beginBatch(batch)
        try hooks.onTrainBatchStart(batch, index)
        let accumulating = isAccumulating(index)
        // Published for callbacks; the optimization is told directly.
        trainer.isAccumulating = accumulating
        let output = try trainer.profiled(ProfiledRun.runTrainingBatch) { try optimization.run(batch, index, accumulating: accumulating) }
        outputs.append(output, trainer: trainer)
        trainer.progress.point = .afterBatchEnd
        try hooks.onTrainBatchEnd(output, batch, index)
    }

    /// Whether batch `index` only accumulates gradients (the epoch's last batch always steps).
    func isAccumulating(_ index: Int) -> Bool {
        let k = trainer.accumulateGradBatches
        return (index + 1) % k != 0 && index + 1 < batches
    }

    /// Logging, validation and counters after batch `index`, from `point` on.
    private func finishBatch(_ index: Int, from point: FitProgress.Point) throws {
        let trainer = self.trainer
        let accumulating = hooks.module.automaticOptimization && isAccumulating(index)
        if point == .afterBatchEnd {
            if !accumulating {
                let metrics = try trainer.logConnector.trainStepMetrics(strategy: trainer.strategy)
                let due = trainer.stepLoggingDueByCount || trainer.shouldStop || trainer.fastDevRun > 0
                if due && !metrics.isEmpty { try trainer.sendToLoggers(metrics, step: trainer.progress.batchesThatStepped) }
            } else {
                trainer.logConnector.train.endBatch()
            }
            if shouldValidate(after: index) {
                trainer.progress.point = .afterValidation
                try validation?.run()
            }
        }
        if !accumulating { try trainer.stepSchedulers(interval: .step, plateauOnly: true) }
        if !accumulating { trainer.progress.batchesThatStepped += 1 }
        trainer.progress.batchIndex = index + 1
        trainer.progress.totalBatches += 1
        trainer.progress.point = .batchStart
        if let signal = try trainer.agreedTerminationSignal() { try trainer.stopForTerminationSignal(signal) }
    }

    /// Whether validation runs after batch `index` (Lightning's `_should_check_val_fx`).
    private func shouldValidate(after index: Int) -> Bool {
        let trainer = self.trainer
        guard let validation, validation.mayRun else { return false }
        if let n = trainer.checkValEveryNEpoch, (trainer.currentEpoch + 1) % n != 0 { return false }
        if rule.honorsRequestedStop(trainer.stopState) { return true }
        let iteration = trainer.checkValEveryNEpoch == nil ? trainer.progress.totalBatches : index
        return (iteration + 1) % valCheckBatch == 0
    }

    /// Training batches between validation runs.
    private var valCheckBatch: Int {
        switch trainer.valCheckInterval {
        case .count(let n): return max(1, n)
        case .fraction(let f): return max(1, Int(Double(batches) * f))
        }
    }

    /// The epoch's end hooks, then its logging and schedulers.
    private func endEpoch() throws {
        if outputs.enabled {
            let epochOutputs = outputs.take()
            try hooks.module("training_epoch_end") { try $0.trainingEpochEnd(outputs: epochOutputs) }
        }
        try hooks.onTrainEpochEnd()
        try finishEpoch()
    }

    /// Logs the epoch values, steps epoch-interval schedulers and moves to the next epoch.
    private func finishEpoch() throws {
        let trainer = self.trainer
        let forLoggers = try trainer.profiled(ProfiledRun.reduceEpochMetrics) { try trainer.logConnector.epochMetrics(.train, strategy: trainer.strategy) }.forLoggers
        if trainer.progress.batchIndex >= batches {
            try trainer.stepSchedulers(interval: .epoch, plateauOnly: false)
        }
        if !forLoggers.isEmpty { try trainer.sendToLoggers(forLoggers, step: max(0, trainer.progress.batchesThatStepped - 1)) }
        try trainer.saveLoggers()
        trainer.progress.currentEpoch += 1
        trainer.progress.batchIndex = 0
        trainer.progress.point = .batchStart
    }
}

/// Runs validation inside `fit` over every validation loader and publishes its metrics at the
/// current step; the validation loaders are requested again first when
/// `reloadDataloadersEveryNEpochs` says so.
final class ValidationRunner<M: LightningModuleProtocol> {
    let loop: EvaluationLoop<M>
    let loaders: FitLoaders<M.Batch>
    /// The validation loaders of the latest request, as this rank iterates them.
    private var current: [DataLoader<M.Batch>] = []
    /// This rank's batches of each loader per run (its shard may be shorter than others', or empty).
    private var limits: [Int] = []
    /// Whether any rank has a batch of any loader to validate (the same answer on every rank).
    private(set) var enabled = false

    init(loop: EvaluationLoop<M>, loaders: FitLoaders<M.Batch>, first: [(loader: DataLoader<M.Batch>, plan: BatchPlan)]) {
        self.loop = loop
        self.loaders = loaders
        adopt(first)
    }

    /// Whether a validation run may happen: there are batches, or a reload may bring some.
    var mayRun: Bool { enabled || loaders.reloads }

    func run() throws {
        let trainer = loop.hooks.trainer
        if loaders.valDue { adopt(try loaders.val()) }
        guard enabled else { return }
        _ = try loop.run(loaders: current, limits: limits) { output in
            try trainer.sendToLoggers(output.forLoggers, step: trainer.progress.batchesThatStepped)
        }
        trainer.progress.validationRuns += 1
    }

    /// Takes `val`'s loaders and plans; the limit applies to each loader, as Lightning's
    /// `limit_val_batches` does.
    private func adopt(_ val: [(loader: DataLoader<M.Batch>, plan: BatchPlan)]) {
        current = val.map(\.loader)
        limits = val.map(\.plan.local)
        enabled = val.contains { $0.plan.runsOnAnyRank }
        loop.hooks.trainer.numValBatches = val.reduce(0) { $0 + $1.plan.total }
    }
}
