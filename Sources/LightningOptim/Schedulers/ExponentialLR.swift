/// Multiplies each group's learning rate by `gamma` every step (PyTorch's `ExponentialLR`).
public final class ExponentialLR: LRSchedulerBase {
    /// The decay factor per step.
    public let gamma: Double

    /// Decays `optimizer`'s learning rates by `gamma` every step.
    public init(_ optimizer: any Optimizer, gamma: Double) {
        usagePrecondition(gamma.isFinite, "ExponentialLR: gamma must be finite, got \(gamma)")
        self.gamma = gamma
        super.init(optimizer: optimizer)
    }

    override func computeLR() -> [Double] {
        let lrs = optimizer.learningRates
        return lastEpoch == 0 ? lrs : lrs.map { $0 * gamma }
    }
}
