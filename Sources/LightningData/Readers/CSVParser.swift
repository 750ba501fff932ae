#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single pass over CSV bytes that tracks the line number for error messages.
///
/// Cells are parsed in place with `strtod` (no substring allocation), which keeps reading a
/// large CSV dominated by number parsing rather than by Swift string handling.
struct CSVParser {
    let buffer: UnsafeBufferPointer<UInt8>
    let end: Int
    let file: String
    let separator: UInt8
    private var position = 0
    private var lineNumber = 0

    init(buffer: UnsafeBufferPointer<UInt8>, end: Int, file: String, separator: UInt8) {
        self.buffer = buffer
        self.end = end
        self.file = file
        self.separator = separator
    }

    /// A cell's byte range within the buffer (quotes and surrounding spaces removed).
    typealias Cell = Range<Int>

    /// Reads the header (if any) and every row.
    mutating func table(labelColumn: CSV.LabelColumn?, labelType: DType, hasHeader: Bool) throws -> CSVTable {
        guard let first = try nextRow() else {
            throw DataError(.malformed, file: file, "is empty (no header or data rows)")
        }
        let width = first.cells.count
        let names: [String]
        var pending: (cells: [Cell], line: Int)?
        if hasHeader {
            names = first.cells.map { text($0) }
        } else {
            names = (0..<width).map { "column\($0)" }
            pending = first
        }
        let headerLine = hasHeader ? first.line : 1
        let label = try labelIndex(labelColumn, names: names, hasHeader: hasHeader, line: headerLine)

        var features: [Float] = []
        var labels: [Float] = []
        var labelInts: [Int64] = []
        var rows = 0
        while let row = try pending ?? nextRow() {
            pending = nil
            if row.cells.count != width {
                let what = hasHeader ? "the header has" : "the first row has"
                throw DataError(.malformed, file: file, at: .line(row.line),
                                "ragged row: \(row.cells.count) fields, but \(what) \(width)")
            }
            for (k, cell) in row.cells.enumerated() {
                let name = hasHeader ? names[k] : nil
                if k == label {
                    if labelType == .int64 {
                        labelInts.append(try integer(cell, line: row.line, field: k, name: name))
                    } else {
                        labels.append(try number(cell, line: row.line, field: k, name: name))
                    }
                } else {
                    features.append(try number(cell, line: row.line, field: k, name: name))
                }
            }
            rows += 1
        }
        let featureNames = names.enumerated().filter { $0.offset != label }.map { $0.element }
        let featureTensor = Tensor(shape: [rows, featureNames.count], scalars: features)
        var labelTensor: Tensor?
        if label != nil {
            labelTensor = labelType == .int64 ? Tensor(shape: [rows], int64Scalars: labelInts) : Tensor(shape: [rows], scalars: labels)
        }
        return CSVTable(featureNames: featureNames, labelName: label.map { names[$0] },
                        features: featureTensor, labels: labelTensor)
    }

    /// Resolves the label column against the header.
    private func labelIndex(_ column: CSV.LabelColumn?, names: [String], hasHeader: Bool, line: Int) throws -> Int? {
        switch column {
        case nil:
            return nil
        case .name(let name)?:
            guard hasHeader else {
                throw DataError(.mismatch, file: file, "label column \"\(name)\" is given by name but the file is read without a header")
            }
            guard let index = names.firstIndex(of: name) else {
                throw DataError(.mismatch, file: file, at: .line(line), "no column named \"\(name)\" in the header (columns: \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))")
            }
            return index
        case .index(let i)?:
            let index = i < 0 ? i + names.count : i
            guard index >= 0 && index < names.count else {
                throw DataError(.mismatch, file: file, at: .line(line), "label column index \(i) is out of range for \(names.count) columns")
            }
            return index
        }
    }

    /// The next non-blank line split into cells, with its 1-based line number.
    private mutating func nextRow() throws -> (cells: [Cell], line: Int)? {
        while position < end {
            lineNumber += 1
            var lineEnd = position
            while lineEnd < end && buffer[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            let start = position
            position = lineEnd + 1
            var stop = lineEnd
            if stop > start && buffer[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            if isBlank(start..<stop) { continue }
            return (try cells(start..<stop), lineNumber)
        }
        return nil
    }

    /// Splits one line at the separator, honouring double quotes.
    private func cells(_ line: Range<Int>) throws -> [Cell] {
        var result: [Cell] = []
        var i = line.lowerBound
        while true {
            var cellStart = i
            while cellStart < line.upperBound && buffer[cellStart] == UInt8(ascii: " ") { cellStart += 1 }
            if cellStart < line.upperBound && buffer[cellStart] == UInt8(ascii: "\"") {
                var close = cellStart + 1
                while close < line.upperBound && buffer[close] != UInt8(ascii: "\"") { close += 1 }
                if close == line.upperBound {
                    throw DataError(.malformed, file: file, at: .field(line: lineNumber, field: result.count + 1, name: nil),
                                    "unterminated quoted field")
                }
                result.append(cellStart + 1..<close)
                i = close + 1
                while i < line.upperBound && buffer[i] != separator { i += 1 }
            } else {
                i = cellStart
                while i < line.upperBound && buffer[i] != separator { i += 1 }
                var cellEnd = i
                while cellEnd > cellStart && (buffer[cellEnd - 1] == UInt8(ascii: " ") || buffer[cellEnd - 1] == UInt8(ascii: "\t")) {
                    cellEnd -= 1
                }
                result.append(cellStart..<cellEnd)
            }
            if i >= line.upperBound { return result }
            i += 1
        }
    }

    /// The cell as a Float, or an error naming line and field.
    private func number(_ cell: Cell, line: Int, field: Int, name: String?) throws -> Float {
        Float(try double(cell, line: line, field: field, name: name))
    }

    /// The cell as a whole number, or an error naming line and field.
    private func integer(_ cell: Cell, line: Int, field: Int, name: String?) throws -> Int64 {
        let value = try double(cell, line: line, field: field, name: name)
        guard value.rounded() == value, abs(value) < 9.0e15 else {
            throw DataError(.malformed, file: file, at: .field(line: line, field: field + 1, name: name),
                            "\"\(text(cell))\" is not a whole number, so it cannot be an int64 label")
        }
        return Int64(value)
    }

    /// Parses a cell with `strtod`, requiring it to consume the whole cell.
    private func double(_ cell: Cell, line: Int, field: Int, name: String?) throws -> Double {
        if !cell.isEmpty {
            let start = UnsafeRawPointer(buffer.baseAddress! + cell.lowerBound).assumingMemoryBound(to: CChar.self)
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &stop)
            if let stop, UnsafePointer(stop) - start == cell.count,
               !isBlank(cell.lowerBound..<cell.lowerBound + 1) {
                return value
            }
        }
        let shown = cell.isEmpty ? "an empty cell" : "\"\(text(cell))\""
        throw DataError(.malformed, file: file, at: .field(line: line, field: field + 1, name: name),
                        "\(shown) is not a number")
    }

    private func isBlank(_ range: Range<Int>) -> Bool {
        for i in range where buffer[i] != UInt8(ascii: " ") && buffer[i] != UInt8(ascii: "\t") { return false }
        return true
    }

    private func text(_ cell: Cell) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buffer[cell]), as: UTF8.self)
    }
}
