/// One run's metrics as the plot sees them: a label (`version_3`) and its table.
public struct PlotRun: Sendable {
    /// Prefixes the run's series names when several runs are overlaid; `nil` for a lone run.
    public let label: String?
    /// The run's metrics.csv.
    public let table: MetricsTable

    /// The run `table`, labelled `label`.
    public init(label: String?, table: MetricsTable) {
        self.label = label
        self.table = table
    }

    /// The run's series, one per metric column (every column but `step` and `epoch`) that
    /// holds at least one finite value; the rest (NaN, ±inf) have no place on an axis.
    func series() -> [MetricSeries] {
        table.columns.filter { $0 != "step" && $0 != "epoch" }.sorted().compactMap { column in
            let points = table.rows.compactMap { row -> PlotPoint? in
                guard let step = row["step"], let value = row[column], value.isFinite, step.isFinite else { return nil }
                return PlotPoint(x: step, y: value)
            }
            guard !points.isEmpty else { return nil }
            return MetricSeries(name: label.map { "\($0)/\(column)" } ?? column, column: column, points: points)
        }
    }
}
