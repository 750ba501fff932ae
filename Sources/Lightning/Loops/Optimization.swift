/// One training step with its optimization: automatic (the Trainer zeroes, backpropagates,
/// reduces, clips and steps) or manual (the module does, through `manualBackward` and
/// ``optimizers()``), as Lightning's `_AutomaticOptimization` / `_ManualOptimization`.
struct Optimization<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>

    /// Runs the training step of batch `index` and, when automatic, its optimization;
    /// `accumulating`: the batch only adds its gradients (no reduction, no optimizer step).
    func run(_ batch: M.Batch, _ index: Int, accumulating: Bool) throws -> M.TrainingOutput {
        hooks.module.automaticOptimization ? try automatic(batch, index, accumulating: accumulating) : try manual(batch, index)
    }

    private func automatic(_ batch: M.Batch, _ index: Int, accumulating: Bool) throws -> M.TrainingOutput {
        let trainer = hooks.trainer
        let module = hooks.module
        guard trainer.optimizers.count == 1 else {
            throw LightningError.misconfiguration("\(type(of: module)): automatic optimization needs exactly one optimizer, "
                + "configureOptimizers returned \(trainer.optimizers.count); set automaticOptimization = false and step them in trainingStep")
        }
        let optimizer = trainer.optimizers[0]
        try trainer.strategy.beforeTrainingStep(module: module)
        let output = try hooks.module("training_step") { try $0.trainingStep(batch, batchIndex: index) }
        // A step that returns no loss skips the batch's optimization, as in Lightning.
        guard let loss = output.trainingLoss else { return output }
        guard loss.count == 1, loss.dtype == .float32 else {
            throw LightningError.misconfiguration("\(type(of: module)).trainingStep returned a loss of shape \(loss.shape) (\(loss.dtype)); it must be a float32 scalar")
        }
        guard loss.requiresGrad else {
            throw LightningError.misconfiguration("\(type(of: module)).trainingStep returned a loss that does not depend on any trainable parameter (was it computed under noGrad or from detached tensors?)")
        }
        let accumulate = trainer.accumulateGradBatches
        if index % accumulate == 0 {
            try hooks.onBeforeZeroGrad(optimizer)
            trainer.profiled(\.optimizerZeroGrad) { optimizer.zeroGrad() }
        }
        let scaled = accumulate > 1 ? loss / Float(accumulate) : loss
        try hooks.onBeforeBackward(scaled)
        try trainer.profiled(\.backward) {
            try trainer.strategy.beforeBackward(module: module, reducing: !accumulating)
            try scaled.checkedBackward()
        }
        if !accumulating { try trainer.profiled(\.reduceGradients) { try trainer.strategy.reduceGradients(module: module) } }
        try hooks.onAfterBackward()
        if !accumulating {
            try hooks.onBeforeOptimizerStep(optimizer)
            trainer.profiled(\.optimizerStep) {
                trainer.clipGradients()
                optimizer.step()
            }
            trainer.progress.globalStep += 1
            try trainer.stepSchedulers(interval: .step, plateauOnly: false, skipPlateau: true)
        }
        return output
    }

    private func manual(_ batch: M.Batch, _ index: Int) throws -> M.TrainingOutput {
        let trainer = hooks.trainer
        let module = hooks.module
        let hooks = self.hooks
        module.runtime.manualBackward = { loss in
            try hooks.onBeforeBackward(loss)
            try trainer.profiled(\.backward) {
                try trainer.strategy.beforeBackward(module: module, reducing: true)
                try loss.checkedBackward()
            }
            try trainer.profiled(\.reduceGradients) { try trainer.strategy.reduceGradients(module: module) }
            try hooks.onAfterBackward()
        }
        defer { module.runtime.manualBackward = nil }
        try trainer.strategy.beforeTrainingStep(module: module)
        let output = try hooks.module("training_step") { try $0.trainingStep(batch, batchIndex: index) }
        try module.runtime.throwStepFailure()
        return output
    }
}

/// An optimizer as manual optimization hands it to the module: stepping it calls the
/// `onBeforeOptimizerStep` hooks and clipping and counts a global step (Lightning's `LightningOptimizer`).
final class LightningOptimizer: Optimizer {
    let base: any Optimizer
    let beforeStep: (any Optimizer) throws -> Void
    let afterStep: () -> Void
    /// What `beforeStep` threw; `step()` cannot throw, so the training step's caller rethrows it.
    var failure: Error?

    init(_ base: any Optimizer, beforeStep: @escaping (any Optimizer) throws -> Void, afterStep: @escaping () -> Void) {
        self.base = base
        self.beforeStep = beforeStep
        self.afterStep = afterStep
    }

    var parameters: [Parameter] { base.parameters }
    var learningRates: [Double] {
        get { base.learningRates }
        set { base.learningRates = newValue }
    }
    var momenta: [Double]? {
        get { base.momenta }
        set { base.momenta = newValue }
    }
    func step() {
        guard failure == nil else { return }
        do { try beforeStep(base) } catch { failure = error; return }
        base.step()
        afterStep()
    }
    func zeroGrad(setToNone: Bool) { base.zeroGrad(setToNone: setToNone) }
    func stateDict() -> OptimizerState { base.stateDict() }
    func loadStateDict(_ state: OptimizerState) throws { try base.loadStateDict(state) }
}
