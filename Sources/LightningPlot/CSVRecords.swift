/// Splits CSV text into records of cells (RFC 4180: quoted cells may hold commas, quotes and
/// line breaks).
enum CSVRecords {
    /// The records of `text`; `source` names the file when a quote is never closed.
    static func parse(_ text: String, source: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var cell = ""
        var quoted = false
        var iterator = text.makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" { cell.append("\"") } else { quoted = false; pending = next }
                } else {
                    cell.append(character)
                }
                continue
            }
            switch character {
            case "\"": quoted = true
            case ",": record.append(cell); cell = ""
            case "\n", "\r\n":
                record.append(cell)
                records.append(record)
                record = []
                cell = ""
            default: cell.append(character)
            }
        }
        if quoted { throw PlotError("\(source): a quoted cell is never closed") }
        if !cell.isEmpty || !record.isEmpty {
            record.append(cell)
            records.append(record)
        }
        return records
    }
}
