import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a training-curves SVG holds, read back with Foundation's XML parser (so reading it at
/// all proves the file is well-formed XML).
public struct SVGCurves {
    /// Each `<path class="series">`: its `data-series` name and how many points its `d` draws
    /// (one per `M`/`L` command).
    public var pointCounts: [String: Int] = [:]
    /// The series paths in document order (a name appearing twice would show here).
    public var seriesNames: [String] = []
    /// Each panel's `data-family`, in order.
    public var panels: [String] = []
    /// Every `<text>`'s content (titles, tick labels, legend entries).
    public var texts: [String] = []
    /// The root element's name.
    public var root: String?

    /// Parses the SVG at `path`; throws when it is not well-formed XML.
    public init(path: String) throws {
        try self.init(data: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Parses SVG `data`; throws when it is not well-formed XML.
    public init(data: Data) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw SVGParseError(description: "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        self = delegate.result
    }

    /// The parser's failure.
    public struct SVGParseError: Error, CustomStringConvertible {
        /// What the parser reported.
        public let description: String
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        var result = SVGCurves(empty: ())
        var text: String?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            if result.root == nil { result.root = name }
            if name == "path", attributes["class"] == "series", let series = attributes["data-series"] {
                result.seriesNames.append(series)
                result.pointCounts[series] = (attributes["d"] ?? "").filter { $0 == "M" || $0 == "L" }.count
            }
            if name == "g", attributes["class"] == "panel", let family = attributes["data-family"] { result.panels.append(family) }
            if name == "text" { text = "" }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text? += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text", let text { result.texts.append(text) }
            text = nil
        }
    }

    private init(empty: Void) {}

    /// For every metric column of the metrics.csv at `path` (all but `step` and `epoch`), how
    /// many rows hold a finite value: the points its curve must have. Read with a plain split,
    /// independently of the plotting code (CSVLogger's metric cells are never quoted).
    public static func expectedPointCounts(csvPath path: String) throws -> [String: Int] {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [:] }
        var counts: [String: Int] = [:]
        for line in lines.dropFirst() {
            for (column, cell) in zip(header, line.split(separator: ",", omittingEmptySubsequences: false))
            where column != "step" && column != "epoch" {
                if let value = Double(cell), value.isFinite { counts[column, default: 0] += 1 }
            }
        }
        return counts.filter { $0.value > 0 }
    }
}
