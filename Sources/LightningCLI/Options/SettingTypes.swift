import Foundation

/// `seed_everything`: an integer seed, `true` for a random one (recorded in `config.yaml`), or
/// `false` to leave the generators alone, as in LightningCLI.
enum SeedSetting: ConfigConvertible, Equatable {
    /// A fixed seed.
    case seed(UInt64)
    /// A random seed, or none.
    case flag(Bool)

    static var expectedDescription: String { "an integer seed >= 0, true (a random seed) or false" }
    init?(config: ConfigValue) {
        if let flag = Bool(config: config) { self = .flag(flag) } else if let seed = UInt64(config: config) { self = .seed(seed) } else { return nil }
    }
    var configValue: ConfigValue {
        switch self {
        case .seed(let s): return s.configValue
        case .flag(let b): return .bool(b)
        }
    }
}

/// A duration in seconds: a number, Lightning's `"DD:HH:MM:SS"`, or `{days, hours, minutes, seconds}`.
struct TimeLimit: ConfigConvertible, Equatable {
    /// The duration in seconds.
    var seconds: Double

    static var expectedDescription: String { "seconds (a number), \"DD:HH:MM:SS\" or a mapping of days, hours, minutes and seconds" }
    init(seconds: Double) { self.seconds = seconds }
    init?(config: ConfigValue) {
        switch config {
        case .string(let text) where text.contains(":"):
            let parts = text.split(separator: ":").map { Double($0) }
            guard parts.count == 4, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
            let p = parts.map { $0! }
            seconds = ((p[0] * 24 + p[1]) * 60 + p[2]) * 60 + p[3]
        case .mapping(let m):
            let units: [String: Double] = ["days": 86400, "hours": 3600, "minutes": 60, "seconds": 1]
            var total = 0.0
            for (key, value) in m.pairs {
                guard let unit = units[key], let amount = Double(config: value), amount >= 0 else { return nil }
                total += unit * amount
            }
            seconds = total
        default:
            guard let d = Double(config: config), d >= 0, d.isFinite else { return nil }
            seconds = d
        }
    }
    var configValue: ConfigValue { .double(seconds) }
}

/// `fast_dev_run`: `true` (one batch), `false`, or a batch count.
struct FastDevRunSetting: ConfigConvertible, Equatable {
    /// Batches per stage (0: off).
    var batches: Int

    static var expectedDescription: String { "true, false or a batch count >= 0" }
    init(batches: Int) { self.batches = batches }
    init?(config: ConfigValue) {
        if let flag = Bool(config: config) { batches = flag ? 1 : 0 } else if let n = Int(config: config), n >= 0 { batches = n } else { return nil }
    }
    var configValue: ConfigValue { batches == 0 ? .bool(false) : batches == 1 ? .bool(true) : .int(batches) }
}

/// `devices`: `auto` (what the launcher started) or a count that must match it.
struct DevicesSetting: ConfigConvertible, Equatable {
    /// The count, or `nil` for `auto`.
    var count: Int?

    static var expectedDescription: String { "auto or a device count >= 1" }
    init(count: Int?) { self.count = count }
    init?(config: ConfigValue) {
        if case .string(let s) = config, s.lowercased() == "auto" || isNullText(s) { count = nil; return }
        if config == .null { count = nil; return }
        guard let n = Int(config: config), n >= 1 else { return nil }
        count = n
    }
    var configValue: ConfigValue { count.map(ConfigValue.int) ?? .string("auto") }
}

/// `trainer.accelerator`: where each rank trains (``DevicePlacement`` resolves it; `cuda` is `gpu`).
enum AcceleratorChoice: String, CaseIterable, ConfigChoice {
    case auto, cpu, gpu, cuda
}
