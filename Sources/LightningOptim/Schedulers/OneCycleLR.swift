#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 1cycle policy (Smith & Topin): the learning rate rises from `maxLR / divFactor` to `maxLR`,
/// then falls to `maxLR / divFactor / finalDivFactor`, while momentum (or Adam's β₁) moves the
/// opposite way; it steps once per batch (PyTorch's `OneCycleLR`).
public final class OneCycleLR: LRSchedulerBase {
    /// How a phase moves between its start and end values.
    public enum AnnealStrategy: String, Codable, Sendable {
        /// Half a cosine (the default).
        case cos
        /// A straight line.
        case linear
    }

    /// One phase of the cycle: up to `endStep`, from one of the per-group values to another.
    struct Phase {
        let endStep: Double
        let startLR: KeyPath<OneCycleLR, [Double]>
        let endLR: KeyPath<OneCycleLR, [Double]>
        let startMomentum: KeyPath<OneCycleLR, [Double]>
        let endMomentum: KeyPath<OneCycleLR, [Double]>
    }

    /// Steps in the whole cycle; stepping past it is an error.
    public let totalSteps: Int
    /// How phases interpolate.
    public let annealStrategy: AnnealStrategy
    /// Whether momentum cycles inversely to the learning rate.
    public let cycleMomentum: Bool
    /// Each group's starting learning rate (`maxLR / divFactor`).
    public let initialLRs: [Double]
    /// Each group's peak learning rate.
    public let maxLRs: [Double]
    /// Each group's final learning rate (`initialLR / finalDivFactor`).
    public let minLRs: [Double]
    /// Each group's momentum at the learning-rate peak.
    public let baseMomenta: [Double]
    /// Each group's momentum at the start and end.
    public let maxMomenta: [Double]
    var phases: [Phase] = []

    /// A cycle over `totalSteps` steps peaking at `maxLR` in every group.
    public convenience init(_ optimizer: any Optimizer, maxLR: Double, totalSteps: Int, pctStart: Double = 0.3,
                            annealStrategy: AnnealStrategy = .cos, cycleMomentum: Bool = true,
                            baseMomentum: Double = 0.85, maxMomentum: Double = 0.95, divFactor: Double = 25,
                            finalDivFactor: Double = 1e4, threePhase: Bool = false) {
        self.init(optimizer, maxLRs: Array(repeating: maxLR, count: optimizer.learningRates.count),
                  totalSteps: totalSteps, pctStart: pctStart, annealStrategy: annealStrategy,
                  cycleMomentum: cycleMomentum, baseMomentum: baseMomentum, maxMomentum: maxMomentum,
                  divFactor: divFactor, finalDivFactor: finalDivFactor, threePhase: threePhase)
    }

    /// A cycle over `totalSteps` steps peaking at `maxLRs[i]` in group `i`.
    public init(_ optimizer: any Optimizer, maxLRs: [Double], totalSteps: Int, pctStart: Double = 0.3,
                annealStrategy: AnnealStrategy = .cos, cycleMomentum: Bool = true,
                baseMomentum: Double = 0.85, maxMomentum: Double = 0.95, divFactor: Double = 25,
                finalDivFactor: Double = 1e4, threePhase: Bool = false) {
        let groups = optimizer.learningRates.count
        usagePrecondition(totalSteps > 0, "OneCycleLR: totalSteps must be > 0, got \(totalSteps)")
        usagePrecondition(pctStart >= 0 && pctStart <= 1, "OneCycleLR: pctStart must be in [0, 1], got \(pctStart)")
        usagePrecondition(maxLRs.count == groups, "OneCycleLR: got \(maxLRs.count) maxLRs for \(groups) parameter groups")
        usagePrecondition(maxLRs.allSatisfy { $0.isFinite && $0 >= 0 }, "OneCycleLR: maxLRs must be finite and >= 0, got \(maxLRs)")
        usagePrecondition(divFactor > 0 && finalDivFactor > 0,
                     "OneCycleLR: divFactor and finalDivFactor must be > 0, got \(divFactor) and \(finalDivFactor)")
        usagePrecondition(!cycleMomentum || optimizer.momenta != nil,
                     "OneCycleLR: optimizer must support momentum or beta1 with cycleMomentum enabled (pass cycleMomentum: false)")
        self.totalSteps = totalSteps
        self.annealStrategy = annealStrategy
        self.cycleMomentum = cycleMomentum
        self.maxLRs = maxLRs
        self.initialLRs = maxLRs.map { $0 / divFactor }
        self.minLRs = initialLRs.map { $0 / finalDivFactor }
        self.baseMomenta = Array(repeating: baseMomentum, count: groups)
        self.maxMomenta = Array(repeating: maxMomentum, count: groups)
        let total = Double(totalSteps)
        if threePhase {
            phases = [
                Phase(endStep: pctStart * total - 1, startLR: \.initialLRs, endLR: \.maxLRs,
                      startMomentum: \.maxMomenta, endMomentum: \.baseMomenta),
                Phase(endStep: 2 * pctStart * total - 2, startLR: \.maxLRs, endLR: \.initialLRs,
                      startMomentum: \.baseMomenta, endMomentum: \.maxMomenta),
                Phase(endStep: total - 1, startLR: \.initialLRs, endLR: \.minLRs,
                      startMomentum: \.maxMomenta, endMomentum: \.maxMomenta),
            ]
        } else {
            phases = [
                Phase(endStep: pctStart * total - 1, startLR: \.initialLRs, endLR: \.maxLRs,
                      startMomentum: \.maxMomenta, endMomentum: \.baseMomenta),
                Phase(endStep: total - 1, startLR: \.maxLRs, endLR: \.minLRs,
                      startMomentum: \.baseMomenta, endMomentum: \.maxMomenta),
            ]
        }
        if cycleMomentum { optimizer.momenta = maxMomenta }
        super.init(optimizer: optimizer, baseLRs: initialLRs)
    }

    /// Interpolates from `start` to `end` at fraction `pct` of a phase.
    func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch annealStrategy {
        case .cos: return end + (start - end) / 2.0 * (cos(Double.pi * pct) + 1)
        case .linear: return (end - start) * pct + start
        }
    }

    override func computeLR() -> [Double] {
        let stepNumber = Double(lastEpoch)
        usagePrecondition(lastEpoch <= totalSteps,
                     "OneCycleLR: tried to step \(lastEpoch) times; the specified number of total steps is \(totalSteps)")
        var start = 0.0
        var phase = phases[phases.count - 1]
        for (i, candidate) in phases.enumerated() {
            if stepNumber <= candidate.endStep || i == phases.count - 1 {
                phase = candidate
                break
            }
            start = candidate.endStep
        }
        let pct = (stepNumber - start) / (phase.endStep - start)
        let groups = initialLRs.indices
        if cycleMomentum {
            let from = self[keyPath: phase.startMomentum], to = self[keyPath: phase.endMomentum]
            optimizer.momenta = groups.map { anneal(from[$0], to[$0], pct) }
        }
        let from = self[keyPath: phase.startLR], to = self[keyPath: phase.endLR]
        return groups.map { anneal(from[$0], to[$0], pct) }
    }
}
