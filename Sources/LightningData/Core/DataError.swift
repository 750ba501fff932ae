/// An error reading or decoding a data file, naming the file and where in it the problem is.
///
/// Bad files are the user's data, not a programming error, so readers throw this instead of
/// stopping the process.
public struct DataError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, broadly.
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be opened or read (missing, a directory, no permission).
        case unreadable
        /// The contents do not follow the format (ragged row, bad magic, truncated data).
        case malformed
        /// Valid in its format but not something we read (a dtype, Fortran order).
        case unsupported
        /// Two inputs that must agree do not (image and label counts).
        case mismatch
    }

    /// Where in the file the problem is.
    public enum Location: Sendable, Equatable {
        /// A 1-based line of a text file.
        case line(Int)
        /// A 1-based line and 1-based field of a delimited text file, with the column's name if known.
        case field(line: Int, field: Int, name: String?)
        /// A 0-based byte offset into a binary file.
        case byteOffset(Int)
    }

    /// The broad category.
    public let kind: Kind
    /// The path of the file concerned.
    public let file: String
    /// Where in the file, when it is known.
    public let location: Location?
    /// What is wrong, in words.
    public let message: String

    /// An error about `file` at `location`.
    public init(_ kind: Kind, file: String, at location: Location? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.location = location
        self.message = message
    }

    /// `path:line: message`, `path:line: field 3 ("pixel2"): message` or `path: byte 16: message`.
    public var description: String {
        switch location {
        case nil:
            return "\(file): \(message)"
        case .line(let line)?:
            return "\(file):\(line): \(message)"
        case .field(let line, let field, let name)?:
            let column = name.map { "field \(field) (\"\($0)\")" } ?? "field \(field)"
            return "\(file):\(line): \(column): \(message)"
        case .byteOffset(let offset)?:
            return "\(file): byte \(offset): \(message)"
        }
    }
}
