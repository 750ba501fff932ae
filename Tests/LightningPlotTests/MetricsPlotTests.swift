import Foundation
import LightningTestSupport
import XCTest
@testable import LightningPlot

/// The SVG is well-formed XML with one path per series and one point per logged value.
final class MetricsPlotTests: XCTestCase {
    /// Writes `text` as metrics.csv in a fresh directory and returns its path.
    private func writeCSV(_ text: String) -> String {
        makeTemporaryDirectory().write("metrics.csv", text: text)
    }

    func testOnePathPerSeriesWithOnePointPerLoggedValue() throws {
        let sample = MetricsCSVSample(epochs: 4, stepsPerEpoch: 7)
        let path = writeCSV(sample.text)
        let svg = try MetricsPlot.svg(csv: sample.text, source: path)
        let curves = try SVGCurves(data: Data(svg.utf8))
        XCTAssertEqual(curves.root, "svg")
        let expected = try SVGCurves.expectedPointCounts(csvPath: path)
        XCTAssertEqual(Set(expected.keys), Set(MetricsCSVSample.header.dropFirst(2)))
        XCTAssertEqual(curves.pointCounts, expected)
        XCTAssertEqual(curves.seriesNames.count, expected.count, "one path per series")
        XCTAssertEqual(expected["train_loss_step"], sample.epochs * sample.stepsPerEpoch)
        XCTAssertEqual(expected["val_loss"], sample.epochs)
        for name in expected.keys { XCTAssertTrue(curves.texts.contains(name), "legend entry for \(name)") }
        XCTAssertTrue(curves.texts.contains("step"), "x axis label")
    }

    func testLossesShareAPanelAndEachAccuracyFamilyHasItsOwn() throws {
        let sample = MetricsCSVSample(epochs: 2, stepsPerEpoch: 3)
        let table = try MetricsTable(csv: sample.text + "", source: "metrics.csv")
        let csv = MetricsTable(columns: table.columns + ["val_top5_acc"], rows: table.rows.map { row in
            var row = row
            if row["val_acc"] != nil { row["val_top5_acc"] = 0.9 }
            return row
        })
        let panels = MetricsPlot.panels([PlotRun(label: nil, table: csv)])
        XCTAssertEqual(panels.map(\.family), ["loss", "acc", "top5_acc"])
        XCTAssertEqual(panels[0].series.map(\.name), ["train_loss_epoch", "train_loss_step", "val_loss"])
        XCTAssertEqual(panels[1].series.map(\.name), ["train_acc", "val_acc"])
        let curves = try SVGCurves(data: Data(MetricsPlot.svg([PlotRun(label: nil, table: csv)], title: "t").utf8))
        XCTAssertEqual(curves.panels, ["loss", "acc", "top5_acc"])
    }

    func testFamilyDropsOneSuffixAndOnePrefix() {
        XCTAssertEqual(PlotPanel.family(of: "train_loss_step"), "loss")
        XCTAssertEqual(PlotPanel.family(of: "train_loss_epoch"), "loss")
        XCTAssertEqual(PlotPanel.family(of: "val_loss"), "loss")
        XCTAssertEqual(PlotPanel.family(of: "test_acc"), "acc")
        XCTAssertEqual(PlotPanel.family(of: "lr-SGD"), "lr-SGD")
        XCTAssertEqual(PlotPanel.family(of: "train_"), "train_", "nothing left to name the family: kept whole")
    }

    func testOverlaidRunsNameTheirSeriesByRun() throws {
        let short = MetricsCSVSample(epochs: 2, stepsPerEpoch: 5)
        let long = MetricsCSVSample(epochs: 5, stepsPerEpoch: 5, offset: 0.25)
        let runs = try [("version_0", short), ("version_1", long)].map { (label: String, sample: MetricsCSVSample) in
            PlotRun(label: label, table: try MetricsTable(csv: sample.text, source: "\(label)/metrics.csv"))
        }
        let curves = try SVGCurves(data: Data(MetricsPlot.svg(runs, title: "compare").utf8))
        for (label, sample) in [("version_0", short), ("version_1", long)] {
            let expected = try SVGCurves.expectedPointCounts(csvPath: writeCSV(sample.text))
            for (column, count) in expected {
                XCTAssertEqual(curves.pointCounts["\(label)/\(column)"], count, "\(label)/\(column)")
            }
        }
        XCTAssertEqual(curves.seriesNames.count, 2 * (MetricsCSVSample.header.count - 2))
        XCTAssertEqual(Set(curves.seriesNames).count, curves.seriesNames.count, "no name twice")
    }

    func testNonFiniteValuesAreLeftOutOfTheCurve() throws {
        let text = "epoch,step,train_loss\n0,0,1.0\n0,1,nan\n0,2,inf\n0,3,0.5\n"
        let path = writeCSV(text)
        let curves = try SVGCurves(data: Data(try MetricsPlot.svg(csv: text, source: path).utf8))
        XCTAssertEqual(curves.pointCounts, try SVGCurves.expectedPointCounts(csvPath: path))
        XCTAssertEqual(curves.pointCounts["train_loss"], 2)
    }

    func testNamesAreEscaped() throws {
        let text = "step,\"a<b&c \"\"d\"\"\"\n0,1\n1,2\n"
        let curves = try SVGCurves(data: Data(try MetricsPlot.svg(csv: text, source: "odd.csv").utf8))
        XCTAssertEqual(curves.pointCounts, ["a<b&c \"d\"": 2])
    }

    func testEmptyTableStillDrawsAValidPicture() throws {
        let curves = try SVGCurves(data: Data(try MetricsPlot.svg(csv: "epoch,step\n", source: "m.csv").utf8))
        XCTAssertEqual(curves.root, "svg")
        XCTAssertTrue(curves.seriesNames.isEmpty)
    }

    func testUnparsableCSVIsAnErrorNamingTheFile() {
        let cases = [
            ("", "empty file"),
            ("epoch,loss\n0,1\n", "no 'step' column"),
            ("step,loss\n0,1,2\n", "line 2 has 3 cells"),
            ("step,loss\n0,abc\n", "line 2, column 'loss': 'abc' is not a number"),
            ("step,loss\n0,\"1\n", "never closed"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try MetricsPlot.svg(csv: text, source: "/logs/version_9/metrics.csv"), text) { error in
                let description = "\(error)"
                XCTAssertTrue(description.hasPrefix("/logs/version_9/metrics.csv: "), description)
                XCTAssertTrue(description.contains(message), "'\(description)' lacks '\(message)'")
            }
        }
    }

    func testAxisTicksCoverTheDataWithRoundSteps() {
        for values in [[0.013, 2.31], [-5.0, 5.0], [3.0], [0.0], [1e-4, 3e-4], [0, 999]] {
            let scale = AxisScale(covering: values)
            XCTAssertLessThanOrEqual(scale.lower, values.min()!)
            XCTAssertGreaterThanOrEqual(scale.upper, values.max()!)
            XCTAssertLessThan(scale.lower, scale.upper)
            let mantissa = scale.tickStep / pow(10, log10(scale.tickStep).rounded(.down))
            XCTAssertTrue([1, 2, 5, 10].contains { abs(mantissa - Double($0)) < 1e-9 }, "\(scale.tickStep)")
            XCTAssertTrue((4...12).contains(scale.ticks.count), "\(values): \(scale.ticks)")
        }
        let steps = AxisScale(covering: [0, 3], integral: true)
        XCTAssertTrue(steps.ticks.allSatisfy { $0 == $0.rounded() }, "\(steps.ticks)")
    }
}
