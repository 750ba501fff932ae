/// Training curves from metrics.csv as a standalone SVG document (no scripts, no external
/// resources), readable in any browser.
public enum MetricsPlot {
    /// The panels for `runs`: one per metric family, `loss` first and then alphabetical, each
    /// holding that family's series from every run.
    public static func panels(_ runs: [PlotRun]) -> [PlotPanel] {
        var byFamily: [String: [MetricSeries]] = [:]
        for run in runs {
            for series in run.series() { byFamily[PlotPanel.family(of: series.column), default: []].append(series) }
        }
        let families = byFamily.keys.sorted { ($0 == "loss" ? 0 : 1, $0) < ($1 == "loss" ? 0 : 1, $1) }
        return families.map { PlotPanel(family: $0, series: byFamily[$0]!) }
    }

    /// The SVG text for `runs`, titled `title`.
    public static func svg(_ runs: [PlotRun], title: String) -> String {
        SVGChart(title: title, panels: panels(runs)).render()
    }

    /// The SVG text for one metrics.csv's `text`; `source` (its path) names it in errors and the title.
    public static func svg(csv text: String, source: String) throws -> String {
        svg([PlotRun(label: nil, table: try MetricsTable(csv: text, source: source))], title: source)
    }
}
