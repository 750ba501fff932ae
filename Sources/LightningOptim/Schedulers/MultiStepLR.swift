#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multiplies each group's learning rate by `gamma` at each milestone step (PyTorch's `MultiStepLR`).
public final class MultiStepLR: LRSchedulerBase {
    /// How many times each milestone was listed (a repeated milestone decays that many times).
    let milestoneCounts: [Int: Int]
    /// The decay factor.
    public let gamma: Double

    /// Decays `optimizer`'s learning rates by `gamma` when `lastEpoch` reaches each of `milestones`.
    public init(_ optimizer: any Optimizer, milestones: [Int], gamma: Double = 0.1) {
        usagePrecondition(gamma.isFinite, "MultiStepLR: gamma must be finite, got \(gamma)")
        self.milestoneCounts = milestones.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        self.gamma = gamma
        super.init(optimizer: optimizer)
    }

    /// The milestones in increasing order (repeats included).
    public var milestones: [Int] { milestoneCounts.sorted { $0.key < $1.key }.flatMap { Array(repeating: $0.key, count: $0.value) } }

    override func computeLR() -> [Double] {
        let lrs = optimizer.learningRates
        guard let count = milestoneCounts[lastEpoch] else { return lrs }
        let factor = pow(gamma, Double(count))
        return lrs.map { $0 * factor }
    }
}
