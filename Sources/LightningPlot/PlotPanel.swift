/// One chart: the series of one metric family (`loss` holds `train_loss_step`,
/// `train_loss_epoch` and `val_loss`).
public struct PlotPanel: Sendable, Equatable {
    /// The family name, the panel's title.
    public let family: String
    /// The curves, ordered by run and then column.
    public let series: [MetricSeries]
    /// The x axis's label (`step` for training curves).
    public let xLabel: String
    /// Whether x ticks fall on whole numbers (steps) or anywhere (a log-scaled learning rate).
    public let integralX: Bool

    /// A panel titled `family` with `series`, against `xLabel`.
    public init(family: String, series: [MetricSeries], xLabel: String = "step", integralX: Bool = true) {
        self.family = family
        self.series = series
        self.xLabel = xLabel
        self.integralX = integralX
    }

    /// The family of a metrics.csv column: the name without a `_step`/`_epoch` suffix and a
    /// `train_`/`val_`/`test_` prefix, so the training and validation values of one metric
    /// share a panel.
    public static func family(of column: String) -> String {
        var name = Substring(column)
        for suffix in ["_step", "_epoch"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name = name.dropLast(suffix.count)
            break
        }
        for prefix in ["train_", "val_", "test_"] where name.hasPrefix(prefix) && name.count > prefix.count {
            name = name.dropFirst(prefix.count)
            break
        }
        return String(name)
    }
}
