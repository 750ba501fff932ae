/// One training step with its optimization: automatic (the Trainer zeroes, backpropagates,
/// reduces, clips and steps) or manual (the module does, through `manualBackward` and
/// ``optimizers()``), as Lightning's `_AutomaticOptimization` / `_ManualOptimization`.
struct Optimization<M: LightningModuleProtocol> {
    let hooks: HookDispatcher<M>
    /// The optimizer automatic optimization hands to the module's `optimizerStep`: its step runs
    /// `onBeforeOptimizerStep`, the module's `configureGradientClipping` and the optimizer's step
    /// (made once per loop; `nil` unless there is exactly one optimizer).
    private let automaticOptimizer: LightningOptimizer?

    init(hooks: HookDispatcher<M>) {
        self.hooks = hooks
        let trainer = hooks.trainer
        guard hooks.module.automaticOptimization, trainer.optimizers.count == 1 else {
            automaticOptimizer = nil
            return
        }
        automaticOptimizer = LightningOptimizer(trainer.optimizers[0]) { [unowned trainer] optimizer in
            try hooks.onBeforeOptimizerStep(optimizer)
            try trainer.profiled(\.optimizerStep) {
                try hooks.module.configureGradientClipping(optimizer: optimizer, gradientClipVal: trainer.gradientClipVal,
                                                           gradientClipAlgorithm: trainer.gradientClipAlgorithm)
                optimizer.step()
            }
        }
    }

    /// Runs the training step of batch `index` and, when automatic, its optimization;
    /// `accumulating`: the batch only adds its gradients (no reduction, no optimizer step).
    func run(_ batch: M.Batch, _ index: Int, accumulating: Bool) throws -> M.TrainingOutput {
        hooks.module.automaticOptimization ? try automatic(batch, index, accumulating: accumulating) : try manual(batch, index)
    }

    /// Lightning's `_AutomaticOptimization.run`: an accumulating batch runs the closure (step and
    /// backward) alone; the last batch of a window hands it to the module's `optimizerStep`.
    private func automatic(_ batch: M.Batch, _ index: Int, accumulating: Bool) throws -> M.TrainingOutput {
        let trainer = hooks.trainer
        let module = hooks.module
        guard let optimizer = automaticOptimizer else {
            throw LightningError.misconfiguration("\(type(of: module)): automatic optimization needs exactly one optimizer, "
                + "configureOptimizers returned \(trainer.optimizers.count); set automaticOptimization = false and step them in trainingStep")
        }
        if accumulating { return try stepAndBackward(batch, index, accumulating: true, optimizer: optimizer) }
        var output: M.TrainingOutput?
        try module.optimizerStep(epoch: trainer.currentEpoch, batchIndex: index, optimizer: optimizer) {
            output = try stepAndBackward(batch, index, accumulating: false, optimizer: optimizer)
        }
        try optimizer.throwFailure()
        guard let output else {
            throw LightningError.misconfiguration("\(type(of: module)).optimizerStep returned without running its closure, which runs trainingStep "
                + "and backward; call optimizer.step(closure: closure) (or closure() before optimizer.step())")
        }
        // A step that returned no loss skipped the batch's optimization.
        if !optimizer.skipsStep {
            trainer.progress.globalStep += 1
            try trainer.stepSchedulers(interval: .step, plateauOnly: false, skipPlateau: true)
        }
        return output
    }

    /// The closure of an automatic step: the training step, gradients cleared at the start of an
    /// accumulation window, backward and (unless `accumulating`) the gradients' reduction.
    private func stepAndBackward(_ batch: M.Batch, _ index: Int, accumulating: Bool, optimizer: LightningOptimizer) throws -> M.TrainingOutput {
        let trainer = hooks.trainer
        let module = hooks.module
        try trainer.strategy.beforeTrainingStep(module: module)
        let output = try hooks.module("training_step") { try $0.trainingStep(batch, batchIndex: index) }
        // A step that returns no loss skips the batch's optimization, as in Lightning.
        let loss = output.trainingLoss
        optimizer.skipsStep = loss == nil
        guard let loss else { return output }
        guard loss.count == 1, loss.dtype == .float32 else {
            throw LightningError.misconfiguration("\(type(of: module)).trainingStep returned a loss of shape \(loss.shape) (\(loss.dtype)); it must be a float32 scalar")
        }
        guard loss.requiresGrad else {
            throw LightningError.misconfiguration("\(type(of: module)).trainingStep returned a loss that does not depend on any trainable parameter (was it computed under noGrad or from detached tensors?)")
        }
        let accumulate = trainer.accumulateGradBatches
        if index % accumulate == 0 {
            try hooks.onBeforeZeroGrad(optimizer.base)
            trainer.profiled(\.optimizerZeroGrad) { optimizer.base.zeroGrad() }
        }
        let scaled = accumulate > 1 ? loss / Float(accumulate) : loss
        try hooks.onBeforeBackward(scaled)
        try trainer.profiled(\.backward) {
            try trainer.strategy.beforeBackward(module: module, reducing: !accumulating)
            try scaled.checkedBackward()
        }
        if !accumulating { try trainer.profiled(\.reduceGradients) { try trainer.strategy.reduceGradients(module: module) } }
        try hooks.onAfterBackward()
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

/// An optimizer as the Trainer hands it to the module (Lightning's `LightningOptimizer`): its
/// step runs what the Trainer does around the underlying optimizer's step (the
/// `onBeforeOptimizerStep` hooks, clipping, counting a global step in manual optimization).
final class LightningOptimizer: Optimizer {
    let base: any Optimizer
    /// Steps `base` with the Trainer's work around it.
    let perform: (any Optimizer) throws -> Void
    /// What `perform` threw; `step()` cannot throw, so the training step's caller rethrows it.
    var failure: Error?
    /// Set when the training step returned no loss: the step then does nothing.
    var skipsStep = false

    init(_ base: any Optimizer, perform: @escaping (any Optimizer) throws -> Void) {
        self.base = base
        self.perform = perform
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
        guard failure == nil, !skipsStep else { return }
        do { try perform(base) } catch { failure = error }
    }
    func zeroGrad(setToNone: Bool) { base.zeroGrad(setToNone: setToNone) }
    func stateDict() -> OptimizerState { base.stateDict() }
    func loadStateDict(_ state: OptimizerState) throws { try base.loadStateDict(state) }

    /// Throws (once) what a step's work threw.
    func throwFailure() throws {
        guard let failure else { return }
        self.failure = nil
        throw failure
    }
}
