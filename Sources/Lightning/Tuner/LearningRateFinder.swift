import Foundation

/// Sweeps the learning rate over the first steps of a fit and records the loss after each
/// (Lightning's `LearningRateFinder` callback, and what ``Tuner/lrFind(_:trainDataloaders:valDataloaders:minLR:maxLR:numTraining:mode:earlyStopThreshold:)`` runs).
///
/// Before each step every optimizer's rates are set to the sweep's rate; after each optimizer
/// step (the last batch of an accumulation window) the step's loss enters an exponential moving
/// average (β = 0.98, bias-corrected). The sweep ends after `numTraining` steps, or early once
/// the smoothed loss exceeds `earlyStopThreshold` × the best so far (divergence).
public final class LearningRateFinder: Callback {
    /// The smallest and largest rates of the sweep.
    public let minLR: Double, maxLR: Double
    /// How many optimizer steps the sweep takes.
    public let numTraining: Int
    /// Exponential or linear steps.
    public let mode: LearningRateSweepMode
    /// Stop once the smoothed loss is this many times the best (`nil`: never stop early).
    public let earlyStopThreshold: Double?
    /// What the sweep recorded, once it ran.
    public private(set) var result: LearningRateFinderResult?

    private static let beta = 0.98
    private var rates: [Double] = []
    private var losses: [Double] = []
    private var average = 0.0
    private var best = Double.infinity
    private var diverged = false

    /// A finder sweeping `minLR`…`maxLR` over `numTraining` steps.
    public init(minLR: Double = 1e-8, maxLR: Double = 1, numTraining: Int = 100, mode: LearningRateSweepMode = .exponential,
                earlyStopThreshold: Double? = 4) {
        precondition(minLR > 0 && maxLR > minLR && numTraining >= 2, "LearningRateFinder: needs 0 < minLR < maxLR and numTraining >= 2")
        self.minLR = minLR
        self.maxLR = maxLR
        self.numTraining = numTraining
        self.mode = mode
        self.earlyStopThreshold = earlyStopThreshold
    }

    /// Clears what an earlier sweep recorded.
    public func onTrainStart(trainer: Trainer, module: LightningModuleBase) throws {
        (rates, losses, average, best, diverged, result) = ([], [], 0, .infinity, false, nil)
    }

    /// Sets every optimizer to the rate of the step this batch belongs to.
    public func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
        let rate = mode.rate(at: min(trainer.globalStep, numTraining - 1), of: numTraining, minimum: minLR, maximum: maxLR)
        for optimizer in trainer.optimizers {
            optimizer.learningRates = optimizer.learningRates.map { _ in rate }
        }
    }

    /// Records the step's smoothed loss; stops the sweep when it is done or diverged.
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        guard !trainer.isAccumulating, let loss = outputs?.trainingLoss?.item() else { return }
        let step = losses.count
        rates.append(mode.rate(at: min(step, numTraining - 1), of: numTraining, minimum: minLR, maximum: maxLR))
        average = Self.beta * average + (1 - Self.beta) * Double(loss)
        let smoothed = average / (1 - pow(Self.beta, Double(step + 1)))
        if let threshold = earlyStopThreshold, step > 1, smoothed > threshold * best {
            diverged = true
            trainer.shouldStop = true
        }
        if smoothed < best || step == 1 { best = smoothed }
        losses.append(smoothed)
        if losses.count >= numTraining { trainer.shouldStop = true }
    }

    /// Publishes the result.
    public func onTrainEnd(trainer: Trainer, module: LightningModuleBase) throws {
        result = LearningRateFinderResult(learningRates: rates, losses: losses, diverged: diverged)
    }
}
