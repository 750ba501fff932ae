/// One chart: the series of one metric family (`loss` holds `train_loss_step`,
/// `train_loss_epoch` and `val_loss`).
public struct PlotPanel: Sendable, Equatable {
    /// The family name, the panel's title.
    public let family: String
    /// The curves, ordered by run and then column.
    public let series: [MetricSeries]

    /// A panel titled `family` with `series`.
    public init(family: String, series: [MetricSeries]) {
        self.family = family
        self.series = series
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
