import Lightning

/// The Lightning enums the configuration names, read by their raw values.
extension MonitorMode: ConfigChoice {
    /// `min`, `max`.
    public static var choiceCases: [MonitorMode] { [.min, .max] }
}

extension GradientClipAlgorithm: ConfigChoice {
    /// `norm`, `value`.
    public static var choiceCases: [GradientClipAlgorithm] { [.norm, .value] }
}

extension LRSchedulerConfig.Interval: ConfigChoice {
    /// `step`, `epoch`.
    public static var choiceCases: [LRSchedulerConfig.Interval] { [.step, .epoch] }
}

extension ShardOrder: ConfigChoice {
    /// `exact`, `shard_local`.
    public static var choiceCases: [ShardOrder] { [.exact, .shardLocal] }
}
