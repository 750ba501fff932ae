import Foundation
import XCTest
@testable import LightningNN

/// A module's state dict as `"name [shape]"` lines in state-dict order, for one-line comparisons.
func stateLayout(_ module: Module) -> [String] {
    module.namedStateDict().map { "\($0.name) \($0.tensor.shape)" }
}

/// Float samples with a reproducible seed, for layer inputs.
func sampleInput(_ shape: [Int], seed: UInt64 = 1) -> Tensor {
    Tensor.randn(shape, generator: Generator(seed: seed))
}

/// Sample mean and (biased) variance, accumulated in double.
func moments(_ values: [Float]) -> (mean: Double, variance: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0.0) { $0 + Double($1) } / n
    let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    return (mean, variance)
}

/// The Kolmogorov–Smirnov statistic sup |Fₙ(x) − F(x)| of `values` against the CDF `cdf`.
func ksStatistic(_ values: [Float], cdf: (Double) -> Double) -> Double {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    var worst = 0.0
    for (i, x) in sorted.enumerated() {
        let f = cdf(Double(x))
        worst = max(worst, Double(i + 1) / n - f, f - Double(i) / n)
    }
    return worst
}

/// The KS critical value at significance 0.001 for `n` samples (c(α) = √(−ln(α/2)/2) ≈ 1.949).
func ksCritical(_ n: Int) -> Double { 1.949 / Double(n).squareRoot() }
