/// An error creating or writing an event file, naming the file and the system's reason.
public struct EventFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What the writer was doing when it failed.
    public enum Operation: String, Sendable, Equatable {
        /// Creating the log directory.
        case createDirectory = "cannot create log directory"
        /// Creating the event file.
        case createFile = "cannot create event file"
        /// Writing buffered events to the file.
        case write = "cannot write event file"
        /// Closing the file.
        case close = "cannot close event file"
        /// Adding an event after `close()`.
        case writeAfterClose = "cannot add to closed event file"
    }

    /// What the writer was doing.
    public let operation: Operation
    /// The path of the file (or directory) concerned.
    public let path: String
    /// Why, in words (usually `strerror(errno)`).
    public let reason: String

    /// An error for `operation` on `path`, because of `reason`.
    public init(_ operation: Operation, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// "cannot create event file /logs/events.out.tfevents…: Permission denied".
    public var description: String { "\(operation.rawValue) \(path): \(reason)" }
}
