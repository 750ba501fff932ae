#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads all-numeric CSV files (a header row, a label column by name or index) into tensors.
public enum CSV {
    /// Which column holds the labels.
    public enum LabelColumn: Sendable, Equatable {
        /// The column with this header name.
        case name(String)
        /// The column at this 0-based index; negative counts from the end (`-1` is the last).
        case index(Int)
    }

    /// Reads the CSV file at `path`.
    ///
    /// Every cell must be a number. Blank lines are skipped; `\r\n` line ends and quoted cells
    /// are accepted. A ragged row, a non-numeric cell or a label that is not an integer (for
    /// int64 labels) throws a ``DataError`` naming the line and field.
    ///
    /// - Parameters:
    ///   - labelColumn: the label column, or `nil` when every column is a feature.
    ///   - labelType: `.int64` for class labels (cells must be whole numbers), `.float32` for
    ///     regression targets.
    ///   - hasHeader: whether the first non-blank line names the columns.
    ///   - delimiter: the field separator, one ASCII character.
    public static func read(path: String, labelColumn: LabelColumn? = nil, labelType: DType = .int64,
                            hasHeader: Bool = true, delimiter: Character = ",") throws -> CSVTable {
        try parse(readFileBytes(path), file: path, labelColumn: labelColumn, labelType: labelType,
                  hasHeader: hasHeader, delimiter: delimiter)
    }

    /// Parses CSV text already in memory; `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String, labelColumn: LabelColumn? = nil, labelType: DType = .int64,
                             hasHeader: Bool = true, delimiter: Character = ",") throws -> CSVTable {
        guard let separator = delimiter.asciiValue, separator != UInt8(ascii: "\n"), separator != UInt8(ascii: "\"") else {
            tensorFailure("CSV.read", "delimiter \(delimiter.debugDescription) must be one ASCII character other than a newline or quote")
        }
        // A trailing NUL lets `strtod` stop at the end of the last cell instead of running off.
        var text = bytes
        text.append(0)
        return try text.withUnsafeBufferPointer { buffer in
            var parser = CSVParser(buffer: buffer, end: bytes.count, file: file, separator: separator)
            return try parser.table(labelColumn: labelColumn, labelType: labelType, hasHeader: hasHeader)
        }
    }
}

/// A CSV file's numeric contents: a float32 feature matrix and an optional label vector.
public struct CSVTable {
    /// The feature columns' names (from the header, or `column0`, `column1`, … without one).
    public let featureNames: [String]
    /// The label column's name, when there is a label column.
    public let labelName: String?
    /// `[rows, featureNames.count]` float32.
    public let features: Tensor
    /// `[rows]` of the requested label type, when there is a label column.
    public let labels: Tensor?

    /// The number of data rows.
    public var rowCount: Int { features.shape[0] }

    /// `(features row, label)` samples; the table must have a label column.
    public func labeledDataset() -> TensorDataset<(Tensor, Tensor)> {
        guard let labels else { tensorFailure("CSVTable.labeledDataset", "the table was read without a label column") }
        return TensorDataset(features, labels)
    }

    /// Feature rows alone (e.g. for `predict`).
    public func featureDataset() -> TensorDataset<Tensor> { TensorDataset(features) }
}
