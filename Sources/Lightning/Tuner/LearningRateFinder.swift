import Foundation

/// A module whose learning rate a ``LearningRateFinder`` sets (Lightning's `lr` /
/// `learning_rate` attribute): read it in `configureOptimizers`.
public protocol LearningRateTunable: AnyObject {
    /// The rate `configureOptimizers` gives the optimizer.
    var learningRate: Double { get set }
}

/// Finds a learning rate when `fit` starts (Lightning's `LearningRateFinder` callback): in
/// `onFitStart` it trains up to `numTraining` optimizer steps while the rate sweeps from `minLR`
/// to `maxLR`, recording the smoothed loss after each, then puts back the weights, the optimizer
/// and scheduler state, the random generator, the loader position and the Trainer's progress,
/// callbacks and loggers; with `updateAttribute` it sets the suggested rate on the module
/// (``LearningRateTunable``) and on every optimizer, and the fit proceeds with it.
///
/// ```swift
/// let trainer = Trainer(maxEpochs: 10, callbacks: [LearningRateFinder()])
/// try trainer.fit(model, datamodule: data)   // model.learningRate is the suggestion now
/// ```
///
/// The sweep runs no validation, logs nothing and saves no checkpoint. Under `mpirun` every rank
/// sweeps together, stops where rank 0 does and keeps rank 0's record, so all set the same rate.
public final class LearningRateFinder: Callback {
    /// The smallest and largest rates of the sweep.
    public let minLR: Double, maxLR: Double
    /// How many optimizer steps the sweep takes.
    public let numTraining: Int
    /// Exponential or linear steps.
    public let mode: LearningRateSweepMode
    /// Stop once the smoothed loss is this many times the best (`nil`: never stop early).
    public let earlyStopThreshold: Double?
    /// Whether the suggestion is set on the module and its optimizers (Lightning's `update_attr`).
    public let updateAttribute: Bool
    /// What the sweep recorded, once it ran.
    public private(set) var result: LearningRateFinderResult?
    /// Whether the fit ends after the sweep (``Tuner``'s use).
    let endsFit: Bool

    /// A finder sweeping `minLR`…`maxLR` over `numTraining` steps.
    public convenience init(minLR: Double = 1e-8, maxLR: Double = 1, numTraining: Int = 100, mode: LearningRateSweepMode = .exponential,
                            earlyStopThreshold: Double? = 4, updateAttribute: Bool = true) {
        self.init(minLR: minLR, maxLR: maxLR, numTraining: numTraining, mode: mode, earlyStopThreshold: earlyStopThreshold,
                  updateAttribute: updateAttribute, endsFit: false)
    }

    init(minLR: Double, maxLR: Double, numTraining: Int, mode: LearningRateSweepMode, earlyStopThreshold: Double?,
         updateAttribute: Bool, endsFit: Bool) {
        precondition(minLR > 0 && maxLR > minLR && numTraining >= 2, "LearningRateFinder: needs 0 < minLR < maxLR and numTraining >= 2")
        self.minLR = minLR
        self.maxLR = maxLR
        self.numTraining = numTraining
        self.mode = mode
        self.earlyStopThreshold = earlyStopThreshold
        self.updateAttribute = updateAttribute
        self.endsFit = endsFit
    }

    /// The suggested rate of the last sweep (``LearningRateFinderResult/suggestion(skipBegin:skipEnd:)``).
    public var suggestion: Double? { result?.suggestion() }

    /// Sweeps, then sets the suggestion.
    public func onFitStart(trainer: Trainer, module: LightningModuleBase) throws {
        if trainer.fastDevRun > 0 {
            if trainer.isGlobalZero { TrainerLog.warning("Skipping learning rate finder since fastDevRun is enabled.") }
            return
        }
        let tunable = module as? LearningRateTunable
        if updateAttribute && tunable == nil {
            throw LightningError.misconfiguration("LearningRateFinder(updateAttribute: true): \(type(of: module)) has no learning rate to set; "
                + "conform it to LearningRateTunable (a `var learningRate: Double` that configureOptimizers reads), or pass updateAttribute: false")
        }
        let recorder = LearningRateSweepRecorder(minLR: minLR, maxLR: maxLR, numTraining: numTraining, mode: mode, earlyStopThreshold: earlyStopThreshold)
        let swept = try trainer.sweepLearningRate(recorder)
        result = swept
        if swept.diverged { TrainerLog.info("LR finder stopped early after \(swept.losses.count) steps due to diverging loss.") }
        if updateAttribute, let tunable, let rate = swept.suggestion() {
            tunable.learningRate = rate
            for optimizer in trainer.optimizers { optimizer.learningRates = optimizer.learningRates.map { _ in rate } }
            TrainerLog.info("Learning rate set to \(rate)")
        }
        if endsFit { trainer.shouldStop = true }
    }
}
