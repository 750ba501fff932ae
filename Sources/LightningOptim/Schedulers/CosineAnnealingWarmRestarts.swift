#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cosine annealing from each group's base learning rate to `etaMin` over `t0` steps, restarting
/// with periods growing by `tMult` (SGDR; PyTorch's `CosineAnnealingWarmRestarts`).
public final class CosineAnnealingWarmRestarts: LRSchedulerBase {
    /// The first period, in steps.
    public let t0: Int
    /// The factor by which each period grows.
    public let tMult: Int
    /// The lowest learning rate.
    public let etaMin: Double
    /// Steps (possibly fractional) since the last restart.
    public private(set) var tCur: Double
    /// The current period.
    public private(set) var tI: Int

    /// Anneals `optimizer`'s learning rates with warm restarts every `t0`, `t0·tMult`, … steps.
    public init(_ optimizer: any Optimizer, t0: Int, tMult: Int = 1, etaMin: Double = 0) {
        usagePrecondition(t0 > 0, "CosineAnnealingWarmRestarts: expected a positive t0, got \(t0)")
        usagePrecondition(tMult >= 1, "CosineAnnealingWarmRestarts: expected tMult >= 1, got \(tMult)")
        usagePrecondition(etaMin.isFinite, "CosineAnnealingWarmRestarts: etaMin must be finite, got \(etaMin)")
        self.t0 = t0
        self.tMult = tMult
        self.etaMin = etaMin
        self.tI = t0
        self.tCur = -1
        super.init(optimizer: optimizer)
    }

    /// Advances one step, restarting when the period is over.
    public override func step() {
        if lastEpoch < 0 {
            step(epoch: 0)
            return
        }
        stepCount += 1
        lastEpoch += 1
        tCur += 1
        if tCur >= Double(tI) {
            tCur -= Double(tI)
            tI *= tMult
        }
        apply(computeLR())
    }

    /// Jumps to a possibly fractional `epoch` (PyTorch's `step(epoch)`, e.g. `epoch + i / iters`
    /// to anneal within an epoch).
    public func step(epoch: Double) {
        usagePrecondition(epoch >= 0 && epoch.isFinite, "CosineAnnealingWarmRestarts: expected a non-negative epoch, got \(epoch)")
        let first = Double(t0)
        if epoch >= first {
            if tMult == 1 {
                tCur = fmod(epoch, first)
            } else {
                let mult = Double(tMult)
                let n = Int(log(epoch / first * (mult - 1) + 1) / log(mult))
                let grown = pow(mult, Double(n))
                tCur = epoch - first * (grown - 1) / (mult - 1)
                tI = t0 * Int(grown)
            }
        } else {
            tI = t0
            tCur = epoch
        }
        stepCount += 1
        lastEpoch = Int(epoch.rounded(.down))
        apply(computeLR())
    }

    override func computeLR() -> [Double] {
        let cosine = cos(Double.pi * tCur / Double(tI))
        return baseLRs.map { etaMin + ($0 - etaMin) * (1 + cosine) / 2 }
    }

    override var progressValues: [String: Double] { ["T_cur": tCur, "T_i": Double(tI)] }

    override func restoreProgress(_ values: [String: Double]) throws {
        let cur = try progressValue(values, "T_cur", scheduler: name)
        let period = try progressValue(values, "T_i", scheduler: name)
        guard period >= 1, period == period.rounded() else {
            throw OptimizerError.stateDictMismatch("\(name).loadStateDict: 'T_i' is \(period), expected a whole number >= 1")
        }
        tCur = cur
        tI = Int(period)
    }
}
