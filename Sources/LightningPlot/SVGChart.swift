/// Draws panels stacked vertically in one SVG: each with a title, a frame, x (step) and y ticks
/// with grid lines and labels, one `<path class="series">` per series, and a legend on the right.
public struct SVGChart {
    /// A chart titled `title` of `panels`, stacked vertically.
    public init(title: String, panels: [PlotPanel]) {
        self.title = title
        self.panels = panels
    }

    let title: String
    let panels: [PlotPanel]

    /// The drawing's dimensions, in SVG user units (pixels in a browser).
    private enum Layout {
        static let width = 800.0
        static let headerHeight = 36.0
        static let panelHeight = 300.0
        static let plotLeft = 70.0
        static let plotRight = 560.0
        static let plotTopInset = 34.0
        static let plotBottomInset = 48.0
        static let legendLeft = 580.0
        static let legendRowHeight = 18.0
    }

    /// Tableau's ten colors (matplotlib's default cycle), so curves look as users expect.
    private static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                  "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// The complete document.
    public func render() -> String {
        let height = Layout.headerHeight + Double(max(1, panels.count)) * Layout.panelHeight
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(SVGText.number(Layout.width))" height="\#(SVGText.number(height))" "#
                + #"viewBox="0 0 \#(SVGText.number(Layout.width)) \#(SVGText.number(height))" font-family="sans-serif" font-size="11">"#,
            "<title>\(SVGText.escape(title))</title>",
            #"<rect x="0" y="0" width="100%" height="100%" fill="white"/>"#,
            #"<text x="\#(SVGText.number(Layout.width / 2))" y="22" text-anchor="middle" font-size="14">\#(SVGText.escape(title))</text>"#,
        ]
        if panels.isEmpty {
            lines.append(#"<text x="\#(SVGText.number(Layout.width / 2))" y="\#(SVGText.number(Layout.headerHeight + 40))" text-anchor="middle">no metrics logged yet</text>"#)
        }
        for (index, panel) in panels.enumerated() {
            lines += draw(panel, top: Layout.headerHeight + Double(index) * Layout.panelHeight)
        }
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One panel's elements, with its top edge at `top`.
    private func draw(_ panel: PlotPanel, top: Double) -> [String] {
        let points = panel.series.flatMap(\.points)
        let xScale = AxisScale(covering: points.map(\.x), integral: panel.integralX)
        let yScale = AxisScale(covering: points.map(\.y))
        let (left, right) = (Layout.plotLeft, Layout.plotRight)
        let (plotTop, bottom) = (top + Layout.plotTopInset, top + Layout.panelHeight - Layout.plotBottomInset)
        let n = SVGText.number
        var lines = [#"<g class="panel" data-family="\#(SVGText.escape(panel.family))">"#,
                     #"<text x="\#(n((left + right) / 2))" y="\#(n(top + 20))" text-anchor="middle" font-size="13" font-weight="bold">\#(SVGText.escape(panel.family))</text>"#]
        for tick in yScale.ticks {
            let y = yScale.position(tick, from: bottom, to: plotTop)
            lines.append(#"<line x1="\#(n(left))" y1="\#(n(y))" x2="\#(n(right))" y2="\#(n(y))" stroke="rgb(229,229,229)"/>"#)
            lines.append(#"<text x="\#(n(left - 6))" y="\#(n(y + 4))" text-anchor="end">\#(yScale.label(tick))</text>"#)
        }
        for tick in xScale.ticks {
            let x = xScale.position(tick, from: left, to: right)
            lines.append(#"<line x1="\#(n(x))" y1="\#(n(bottom))" x2="\#(n(x))" y2="\#(n(bottom + 5))" stroke="rgb(51,51,51)"/>"#)
            lines.append(#"<text x="\#(n(x))" y="\#(n(bottom + 18))" text-anchor="middle">\#(xScale.label(tick))</text>"#)
        }
        lines.append(#"<rect x="\#(n(left))" y="\#(n(plotTop))" width="\#(n(right - left))" height="\#(n(bottom - plotTop))" fill="none" stroke="rgb(51,51,51)"/>"#)
        lines.append(#"<text x="\#(n((left + right) / 2))" y="\#(n(bottom + 38))" text-anchor="middle">\#(SVGText.escape(panel.xLabel))</text>"#)
        lines.append(#"<text x="\#(n(left - 52))" y="\#(n((plotTop + bottom) / 2))" text-anchor="middle" "#
                     + #"transform="rotate(-90 \#(n(left - 52)) \#(n((plotTop + bottom) / 2)))">\#(SVGText.escape(panel.family))</text>"#)
        for (index, series) in panel.series.enumerated() {
            let color = Self.palette[index % Self.palette.count]
            let path = series.points.enumerated().map { offset, point in
                (offset == 0 ? "M" : "L") + n(xScale.position(point.x, from: left, to: right)) + "," + n(yScale.position(point.y, from: bottom, to: plotTop))
            }.joined(separator: " ")
            let width = series.isStepLevel ? "1" : "2"
            let opacity = series.isStepLevel ? "0.55" : "1"
            lines.append(#"<path class="series" data-series="\#(SVGText.escape(series.name))" d="\#(path)" fill="none" "#
                         + #"stroke="\#(color)" stroke-width="\#(width)" stroke-opacity="\#(opacity)" stroke-linejoin="round" stroke-linecap="round"/>"#)
            // Markers show where epoch-level values were taken, and a lone point (a path of one
            // point has no length, so draws nothing).
            if series.points.count == 1 || (!series.isStepLevel && series.points.count <= 60) {
                for point in series.points {
                    lines.append(#"<circle cx="\#(n(xScale.position(point.x, from: left, to: right)))" cy="\#(n(yScale.position(point.y, from: bottom, to: plotTop)))" "#
                                 + #"r="2.5" fill="\#(color)"/>"#)
                }
            }
            let rowY = plotTop + 8 + Double(index) * Layout.legendRowHeight
            lines.append(#"<line x1="\#(n(Layout.legendLeft))" y1="\#(n(rowY))" x2="\#(n(Layout.legendLeft + 22))" y2="\#(n(rowY))" "#
                         + #"stroke="\#(color)" stroke-width="\#(width)" stroke-opacity="\#(opacity)"/>"#)
            lines.append(#"<text x="\#(n(Layout.legendLeft + 28))" y="\#(n(rowY + 4))">\#(SVGText.escape(series.name))</text>"#)
        }
        lines.append("</g>")
        return lines
    }
}
