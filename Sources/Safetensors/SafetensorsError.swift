/// An error reading or writing a safetensors file: what is wrong, with which tensor, in which file.
///
/// Every malformed input (truncated, corrupt or hostile) ends in one of these, never in a crash,
/// so a loader can report exactly why a checkpoint was refused.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Problem: Equatable, Sendable {
        /// The input is shorter than the 8-byte header length.
        case fileTooSmall(byteCount: Int)
        /// The declared header length exceeds the 100 MB the reference implementation allows.
        case headerTooLarge(length: UInt64)
        /// The declared header length runs past the end of the input.
        case headerPastEnd(length: UInt64, available: Int)
        /// The header is not valid UTF-8.
        case headerNotUTF8
        /// The header is not valid JSON; `detail` says where and why.
        case invalidJSON(detail: String)
        /// The header's JSON is valid but not an object of tensors.
        case headerNotObject
        /// `__metadata__` is not a map of strings to strings.
        case invalidMetadata(detail: String)
        /// A tensor name (or metadata key) appears twice.
        case duplicateName
        /// A tensor's entry lacks a required field (`dtype`, `shape` or `data_offsets`).
        case missingField(String)
        /// A tensor's field has the wrong JSON type or a field appears twice.
        case invalidField(String, detail: String)
        /// The dtype is not one this library reads.
        case unknownDType(String)
        /// A dimension is negative, not an integer, or the element count overflows.
        case invalidShape(detail: String)
        /// `data_offsets` are not two non-negative integers, or end before they start.
        case invalidOffsets(detail: String)
        /// The tensor's bytes lie (partly) past the end of the data section.
        case offsetsOutOfRange(start: Int, end: Int, dataLength: Int)
        /// The tensor's bytes overlap the previous tensor's.
        case offsetsOverlap(start: Int, previousEnd: Int)
        /// There are unclaimed bytes between the previous tensor and this one.
        case offsetsGap(start: Int, previousEnd: Int)
        /// The byte range does not match dtype size × element count.
        case byteCountMismatch(expected: Int, actual: Int)
        /// The data section is longer than the tensors account for.
        case trailingData(dataEnd: Int, dataLength: Int)
        /// A tensor is named `__metadata__`, which the format reserves.
        case reservedName
        /// The file ended while reading bytes the header promised (truncated or changed underneath).
        case truncated(expected: Int, got: Int)
        /// A system call failed (`operation` and the C `errno` text).
        case io(operation: String, message: String)
        /// The tensor's bytes do not match the CRC-32C the file records for them: the data was
        /// damaged after it was written.
        case checksumMismatch(expected: UInt32, actual: UInt32)
    }

    /// What went wrong.
    public var problem: Problem
    /// The tensor concerned, if any.
    public var tensor: String?
    /// The file concerned, if reading or writing a file.
    public var path: String?

    /// Creates an error about `tensor` (if any) in `path` (if any).
    public init(_ problem: Problem, tensor: String? = nil, path: String? = nil) {
        self.problem = problem
        self.tensor = tensor
        self.path = path
    }

    /// This error with `path` filled in (decoding does not know the file name; reading does).
    func inFile(_ path: String) -> SafetensorsError {
        var copy = self
        if copy.path == nil { copy.path = path }
        return copy
    }

    /// A one-line message such as `safetensors: model.safetensors: tensor 'fc.weight': …`.
    public var description: String {
        var text = "safetensors: "
        if let path { text += "\(path): " }
        if let tensor { text += "tensor '\(tensor)': " }
        return text + problemText
    }

    private var problemText: String {
        switch problem {
        case .fileTooSmall(let n):
            return "file is \(n) bytes, too small for the 8-byte header length"
        case .headerTooLarge(let n):
            return "header length \(n) exceeds the 100000000-byte limit (corrupt or hostile file)"
        case .headerPastEnd(let n, let available):
            return "header length \(n) runs past the end of the file (\(available) bytes after the length)"
        case .headerNotUTF8:
            return "header is not valid UTF-8"
        case .invalidJSON(let detail):
            return "header is not valid JSON: \(detail)"
        case .headerNotObject:
            return "header JSON is not an object mapping tensor names to entries"
        case .invalidMetadata(let detail):
            return "invalid __metadata__: \(detail)"
        case .duplicateName:
            return "name appears more than once in the header"
        case .missingField(let field):
            return "entry has no '\(field)' field"
        case .invalidField(let field, let detail):
            return "field '\(field)' is invalid: \(detail)"
        case .unknownDType(let name):
            return "unknown or unsupported dtype '\(name)'"
        case .invalidShape(let detail):
            return "invalid shape: \(detail)"
        case .invalidOffsets(let detail):
            return "invalid data_offsets: \(detail)"
        case .offsetsOutOfRange(let s, let e, let n):
            return "data_offsets [\(s), \(e)] lie past the end of the \(n)-byte data section"
        case .offsetsOverlap(let s, let prev):
            return "data_offsets start at \(s), overlapping the previous tensor, which ends at \(prev)"
        case .offsetsGap(let s, let prev):
            return "data_offsets start at \(s), leaving a gap after the previous tensor, which ends at \(prev)"
        case .byteCountMismatch(let expected, let actual):
            return "data_offsets cover \(actual) bytes but dtype and shape need \(expected)"
        case .trailingData(let end, let n):
            return "tensors end at byte \(end) of the \(n)-byte data section (trailing bytes)"
        case .reservedName:
            return "the name '__metadata__' is reserved by the format"
        case .truncated(let expected, let got):
            return "file ended early: expected \(expected) bytes, read \(got)"
        case .io(let operation, let message):
            return "\(operation) failed: \(message)"
        case .checksumMismatch(let expected, let actual):
            return "data is corrupt: its CRC-32C is \(SafetensorsHeader.hex(actual)), the file recorded \(SafetensorsHeader.hex(expected)) when it was written"
        }
    }
}
