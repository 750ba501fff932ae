import Foundation

/// How the learning rate grows during a finder's sweep.
public enum LearningRateSweepMode: String, Sendable, Codable {
    /// Geometric steps from the minimum to the maximum (Lightning's default).
    case exponential
    /// Equal steps.
    case linear

    /// The rate at step `index` of `count` (0-based) between `minimum` and `maximum`, as
    /// Lightning's `_ExponentialLR` / `_LinearLR` give it.
    func rate(at index: Int, of count: Int, minimum: Double, maximum: Double) -> Double {
        let r = count > 1 ? Double(index) / Double(count - 1) : 0
        switch self {
        case .exponential: return minimum * pow(maximum / minimum, r)
        case .linear: return minimum + r * (maximum - minimum)
        }
    }
}

/// What a learning-rate sweep recorded: the rate of each step and the smoothed loss after it
/// (Lightning's `lr_finder.results`), and the suggestion drawn from them.
public struct LearningRateFinderResult: Sendable, Equatable, Codable {
    /// The learning rate each recorded step trained with.
    public let learningRates: [Double]
    /// The smoothed loss after each of those steps (exponential moving average, bias-corrected).
    public let losses: [Double]
    /// Whether the sweep stopped early because the loss diverged.
    public let diverged: Bool

    /// The rate at the steepest descent of the smoothed loss with respect to the rate, leaving out
    /// the first `skipBegin` and last `skipEnd` steps and non-finite losses, as Lightning's
    /// `suggestion()` does; `nil` when fewer than two steps remain.
    public func suggestion(skipBegin: Int = 10, skipEnd: Int = 1) -> Double? {
        optimalIndex(skipBegin: skipBegin, skipEnd: skipEnd).map { learningRates[$0] }
    }

    /// The index of ``suggestion(skipBegin:skipEnd:)`` in the results.
    public func optimalIndex(skipBegin: Int = 10, skipEnd: Int = 1) -> Int? {
        let end = losses.count - skipEnd
        guard skipBegin < end else { return nil }
        let kept = (skipBegin..<end).filter { losses[$0].isFinite }
        guard kept.count >= 2 else { return nil }
        let gradient = Self.gradient(kept.map { losses[$0] }, spacing: kept.map { learningRates[$0] })
        let steepest = gradient.indices.min { gradient[$0] < gradient[$1] }!
        return kept[steepest]
    }

    /// `numpy.gradient(f, x)` / `torch.gradient(f, spacing=[x])`: second-order central
    /// differences on a non-uniform grid inside, one-sided first-order differences at the ends.
    static func gradient(_ f: [Double], spacing x: [Double]) -> [Double] {
        let n = f.count
        guard n >= 2 else { return [] }
        var g = [Double](repeating: 0, count: n)
        g[0] = (f[1] - f[0]) / (x[1] - x[0])
        g[n - 1] = (f[n - 1] - f[n - 2]) / (x[n - 1] - x[n - 2])
        if n > 2 {
            for i in 1..<(n - 1) {
                let hl = x[i] - x[i - 1], hr = x[i + 1] - x[i]
                g[i] = (hl * hl * f[i + 1] - hr * hr * f[i - 1] + (hr * hr - hl * hl) * f[i]) / (hl * hr * (hl + hr))
            }
        }
        return g
    }
}
