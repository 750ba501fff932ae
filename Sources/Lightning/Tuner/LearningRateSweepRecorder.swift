import Foundation

/// The one callback of a learning-rate sweep (Lightning's `_LRCallback`): before each step every
/// optimizer's rates are set to the sweep's rate; after each optimizer step (the last batch of an
/// accumulation window) the step's loss enters an exponential moving average (β = 0.98,
/// bias-corrected). The sweep ends after `numTraining` steps, or early once the smoothed loss
/// exceeds `earlyStopThreshold` × the best so far (divergence), as rank 0 decides for every rank.
final class LearningRateSweepRecorder: Callback {
    let minLR: Double, maxLR: Double, numTraining: Int
    let mode: LearningRateSweepMode
    let earlyStopThreshold: Double?

    private static let beta = 0.98
    private var rates: [Double] = []
    private var losses: [Double] = []
    private var average = 0.0
    private var best = Double.infinity
    private var diverged = false

    init(minLR: Double, maxLR: Double, numTraining: Int, mode: LearningRateSweepMode, earlyStopThreshold: Double?) {
        self.minLR = minLR
        self.maxLR = maxLR
        self.numTraining = numTraining
        self.mode = mode
        self.earlyStopThreshold = earlyStopThreshold
    }

    /// What this process recorded.
    var result: LearningRateFinderResult { LearningRateFinderResult(learningRates: rates, losses: losses, diverged: diverged) }

    /// Sets every optimizer to the rate of the step this batch belongs to.
    func onTrainBatchStart(trainer: Trainer, module: LightningModuleBase, batch: Any, batchIndex: Int) throws {
        let rate = mode.rate(at: min(trainer.globalStep, numTraining - 1), of: numTraining, minimum: minLR, maximum: maxLR)
        for optimizer in trainer.optimizers {
            optimizer.learningRates = optimizer.learningRates.map { _ in rate }
        }
    }

    /// Records the step's smoothed loss; stops the sweep when it is done or diverged.
    func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        guard !trainer.isAccumulating, let loss = outputs?.trainingLoss?.item() else { return }
        let step = losses.count
        rates.append(mode.rate(at: min(step, numTraining - 1), of: numTraining, minimum: minLR, maximum: maxLR))
        average = Self.beta * average + (1 - Self.beta) * Double(loss)
        let smoothed = average / (1 - pow(Self.beta, Double(step + 1)))
        if let threshold = earlyStopThreshold, step > 1, smoothed > threshold * best { diverged = true }
        // Every rank stops where rank 0 does (each sees its own shard's loss).
        diverged = try trainer.strategy.broadcast(diverged)
        if diverged { trainer.shouldStop = true }
        if smoothed < best || step == 1 { best = smoothed }
        losses.append(smoothed)
        if losses.count >= numTraining { trainer.shouldStop = true }
    }
}
