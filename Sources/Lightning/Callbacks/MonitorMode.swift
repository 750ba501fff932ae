/// Whether a monitored metric improves by going down or up.
public enum MonitorMode: String, Codable, Sendable {
    /// Lower is better (losses).
    case min
    /// Higher is better (accuracies).
    case max

    /// Whether `a` is strictly better than `b`.
    func isBetter(_ a: Double, than b: Double) -> Bool { self == .min ? a < b : a > b }
    /// The worst possible value, which anything beats.
    var worst: Double { self == .min ? .infinity : -.infinity }
}
