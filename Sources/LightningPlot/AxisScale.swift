import Foundation

/// A linear axis over "nice" round ticks (1, 2 or 5 times a power of ten) that cover the data.
struct AxisScale: Equatable {
    /// The axis's ends: the first and last tick.
    let lower: Double
    let upper: Double
    /// The distance between ticks.
    let tickStep: Double

    /// About `targetTicks` intervals covering `values`; `integral` keeps ticks on whole numbers
    /// (steps). A single value gets an interval around it, so it is drawn mid-axis.
    init(covering values: [Double], targetTicks: Int = 5, integral: Bool = false) {
        var low = values.min() ?? 0
        var high = values.max() ?? 1
        if low == high {
            let pad = integral ? 1 : (low == 0 ? 1 : abs(low) * 0.1)
            low -= pad
            high += pad
        }
        var step = Self.niceStep((high - low) / Double(max(1, targetTicks)))
        if integral { step = max(1, step.rounded()) }
        tickStep = step
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
    }

    /// 1, 2, 5 or 10 times the power of ten at or below `raw`.
    private static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let normalized = raw / magnitude
        let factor: Double = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10
        return factor * magnitude
    }

    /// The tick values from `lower` to `upper`.
    var ticks: [Double] {
        let count = Int(((upper - lower) / tickStep).rounded())
        return (0...max(0, count)).map { lower + Double($0) * tickStep }
    }

    /// Where `value` falls between `start` (at `lower`) and `end` (at `upper`).
    func position(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// A tick's label with as many decimals as the tick step needs (no `-0`).
    func label(_ value: Double) -> String {
        let decimals = tickStep >= 1 ? 0 : min(8, Int((-log10(tickStep)).rounded(.up)))
        let text = String(format: "%.\(decimals)f", value)
        return Double(text) == 0 ? String(format: "%.\(decimals)f", 0.0) : text
    }
}
