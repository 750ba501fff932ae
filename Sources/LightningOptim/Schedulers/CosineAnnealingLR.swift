#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Anneals each group's learning rate from its base to `etaMin` along a half cosine over `tMax`
/// steps, then back up (PyTorch's `CosineAnnealingLR`, in its recursive form).
public final class CosineAnnealingLR: LRSchedulerBase {
    /// Steps in half a cosine period.
    public let tMax: Int
    /// The lowest learning rate.
    public let etaMin: Double

    /// Anneals `optimizer`'s learning rates to `etaMin` over `tMax` steps.
    public init(_ optimizer: any Optimizer, tMax: Int, etaMin: Double = 0) {
        usagePrecondition(tMax > 0, "CosineAnnealingLR: tMax must be > 0, got \(tMax)")
        usagePrecondition(etaMin.isFinite, "CosineAnnealingLR: etaMin must be finite, got \(etaMin)")
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(optimizer: optimizer)
    }

    override func computeLR() -> [Double] {
        let lrs = optimizer.learningRates
        if lastEpoch == 0 { return lrs }
        let t = Double(tMax), e = Double(lastEpoch)
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            // Leaving the minimum: the recursive ratio below would divide by zero here.
            return zip(lrs, baseLRs).map { lr, base in lr + (base - etaMin) * (1 - cos(Double.pi / t)) / 2 }
        }
        let ratio = (1 + cos(Double.pi * e / t)) / (1 + cos(Double.pi * (e - 1) / t))
        return lrs.map { ratio * ($0 - etaMin) + etaMin }
    }
}
