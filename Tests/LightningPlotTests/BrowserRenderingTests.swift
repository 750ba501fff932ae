import Foundation
import LightningTestSupport
import XCTest
import LightningPlot

/// A headless browser draws the SVG as something other than a blank page, where one is installed.
final class BrowserRenderingTests: XCTestCase {
    /// The first of Chromium's usual names found on PATH.
    private func headlessBrowser() throws -> String {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            if let found = try? ChildProcess.run("/usr/bin/which", [name], timeout: 10), found.succeeded {
                return found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        let reason = "no headless browser (chromium, chromium-browser, google-chrome) on PATH; skipping the rendering check"
        print(reason)
        throw XCTSkip(reason)
    }

    /// A PNG screenshot of `svgPath` at the chart's width.
    private func screenshot(_ browser: String, _ svgPath: String, into directory: TemporaryDirectory, name: String) throws -> Data {
        let png = directory.file(name)
        let run = try ChildProcess.run(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                                 "--window-size=800,700", "--screenshot=\(png)", "file://\(svgPath)"], timeout: 120)
        XCTAssertTrue(run.succeeded, run.stderr)
        return try Data(contentsOf: URL(fileURLWithPath: png))
    }

    func testBrowserDrawsTheCurves() throws {
        let browser = try headlessBrowser()
        let directory = makeTemporaryDirectory()
        let sample = MetricsCSVSample(epochs: 3, stepsPerEpoch: 6)
        let chart = directory.write("chart.svg", text: try MetricsPlot.svg(csv: sample.text, source: "metrics.csv"))
        // The same page with nothing drawn on it: a blank rendering compresses to this.
        let blank = directory.write("blank.svg", text: #"<svg xmlns="http://www.w3.org/2000/svg" width="800" height="700"><rect width="100%" height="100%" fill="white"/></svg>"#)
        let drawn = try screenshot(browser, chart, into: directory, name: "chart.png")
        let empty = try screenshot(browser, blank, into: directory, name: "blank.png")
        XCTAssertEqual(Array(drawn.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertNotEqual(drawn, empty, "the chart renders differently from a blank page")
        XCTAssertGreaterThan(drawn.count, empty.count, "lines and text make the image less compressible than a blank one")
    }
}
