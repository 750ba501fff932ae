/// The rows of a `metrics.csv` (Lightning's CSVLogger layout: a header naming `step`, `epoch`
/// and every metric, one row per logging call, empty cells where a row has no value).
public struct MetricsTable: Sendable, Equatable {
    /// The header's column names, in file order.
    public let columns: [String]
    /// One dictionary per data row: column → value, only for the non-empty cells.
    public let rows: [[String: Double]]

    /// A table of `columns` and `rows` (the cells present in each row).
    public init(columns: [String], rows: [[String: Double]]) {
        self.columns = columns
        self.rows = rows
    }

    /// Parses CSV `text`; `source` (a path) names the file in errors.
    ///
    /// Cells may be quoted (`"a,b"`, with `""` for a quote). Every non-empty cell must be a
    /// number (`nan` and `inf` included, as Python's `repr` writes them), and a `step` column
    /// must exist, since every point is drawn against its step.
    public init(csv text: String, source: String) throws {
        let records = try CSVRecords.parse(text, source: source)
        guard let header = records.first, !(header.count == 1 && header[0].isEmpty) else {
            throw PlotError("\(source): empty file, expected a header line (step,epoch,…)")
        }
        guard header.contains("step") else {
            throw PlotError("\(source): no 'step' column in the header (\(header.joined(separator: ","))); is this a CSVLogger metrics.csv?")
        }
        var rows: [[String: Double]] = []
        for (offset, record) in records.dropFirst().enumerated() {
            let line = offset + 2
            if record.count == 1 && record[0].isEmpty { continue }
            guard record.count == header.count else {
                throw PlotError("\(source): line \(line) has \(record.count) cells, the header has \(header.count)")
            }
            var row: [String: Double] = [:]
            for (column, cell) in zip(header, record) where !cell.isEmpty {
                guard let value = Double(cell) else {
                    throw PlotError("\(source): line \(line), column '\(column)': '\(cell)' is not a number")
                }
                row[column] = value
            }
            rows.append(row)
        }
        self.init(columns: header, rows: rows)
    }
}
