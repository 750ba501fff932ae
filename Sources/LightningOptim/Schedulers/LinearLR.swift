/// Scales each group's learning rate linearly from `startFactor` to `endFactor` of its base over
/// `totalIters` steps, then holds it (PyTorch's `LinearLR`, a common warmup).
public final class LinearLR: LRSchedulerBase {
    /// The factor at step 0.
    public let startFactor: Double
    /// The factor from step `totalIters` on.
    public let endFactor: Double
    /// Steps to go from `startFactor` to `endFactor`.
    public let totalIters: Int

    /// Scales `optimizer`'s learning rates (the initializer already applies `startFactor`).
    public init(_ optimizer: any Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5) {
        usagePrecondition(startFactor > 0 && startFactor <= 1,
                     "LinearLR: startFactor must be in (0, 1], got \(startFactor)")
        usagePrecondition(endFactor >= 0 && endFactor <= 1, "LinearLR: endFactor must be in [0, 1], got \(endFactor)")
        usagePrecondition(totalIters >= 0, "LinearLR: totalIters must be >= 0, got \(totalIters)")
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        super.init(optimizer: optimizer)
    }

    override func computeLR() -> [Double] {
        let lrs = optimizer.learningRates
        if lastEpoch == 0 { return lrs.map { $0 * startFactor } }
        if lastEpoch > totalIters { return lrs }
        let delta = endFactor - startFactor
        let factor = 1.0 + delta / (Double(totalIters) * startFactor + Double(lastEpoch - 1) * delta)
        return lrs.map { $0 * factor }
    }
}
