import Lightning

/// The Lightning enums the configuration names, read by their raw values.
extension MonitorMode: ConfigConvertible {
    /// `min or max`.
    public static var expectedDescription: String { "min or max" }
    /// `min`, `max`.
    public static var choices: [String]? { ["min", "max"] }
    /// `min` or `max`.
    public init?(config: ConfigValue) {
        guard let text = String(config: config), let mode = MonitorMode(rawValue: text.lowercased()) else { return nil }
        self = mode
    }
    /// The raw value.
    public var configValue: ConfigValue { .string(rawValue) }
}

extension GradientClipAlgorithm: ConfigConvertible {
    /// `norm or value`.
    public static var expectedDescription: String { "norm or value" }
    /// `norm`, `value`.
    public static var choices: [String]? { ["norm", "value"] }
    /// `norm` or `value`.
    public init?(config: ConfigValue) {
        guard let text = String(config: config), let algorithm = GradientClipAlgorithm(rawValue: text.lowercased()) else { return nil }
        self = algorithm
    }
    /// The raw value.
    public var configValue: ConfigValue { .string(rawValue) }
}

extension LRSchedulerConfig.Interval: ConfigConvertible {
    /// `step or epoch`.
    public static var expectedDescription: String { "step or epoch" }
    /// `step`, `epoch`.
    public static var choices: [String]? { ["step", "epoch"] }
    /// `step` or `epoch`.
    public init?(config: ConfigValue) {
        guard let text = String(config: config), let interval = LRSchedulerConfig.Interval(rawValue: text.lowercased()) else { return nil }
        self = interval
    }
    /// The raw value.
    public var configValue: ConfigValue { .string(rawValue) }
}
