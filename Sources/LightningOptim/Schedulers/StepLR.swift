/// Multiplies each group's learning rate by `gamma` every `stepSize` steps (PyTorch's `StepLR`).
public final class StepLR: LRSchedulerBase {
    /// Steps between decays.
    public let stepSize: Int
    /// The decay factor.
    public let gamma: Double

    /// Decays `optimizer`'s learning rates by `gamma` every `stepSize` steps.
    public init(_ optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) {
        usagePrecondition(stepSize > 0, "StepLR: stepSize must be > 0, got \(stepSize)")
        usagePrecondition(gamma.isFinite, "StepLR: gamma must be finite, got \(gamma)")
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(optimizer: optimizer)
    }

    override func computeLR() -> [Double] {
        let lrs = optimizer.learningRates
        if lastEpoch == 0 || lastEpoch % stepSize != 0 { return lrs }
        return lrs.map { $0 * gamma }
    }
}
