import Foundation
import Synchronization

/// Writes scalars and hyperparameters to one TensorBoard event file.
///
/// The file is what PyTorch's `SummaryWriter` and Lightning's `TensorBoardLogger` write. Events
/// are buffered in memory and written on `flush()`, `close()`, or once the buffer passes
/// ``autoFlushByteCount``. Safe to use from several threads.
public final class EventFileWriter: Sendable {
    /// The event file's path: `<logDirectory>/events.out.tfevents.<seconds>.<host>.<pid>.<n><suffix>`.
    public let path: String

    /// Buffered bytes past which an add writes the buffer without waiting for `flush()`.
    public static let autoFlushByteCount = 1 << 20

    private let state: Mutex<State>

    /// The open file and the records not yet written to it; `file` is nil once closed.
    private struct State {
        var file: EventFileHandle?
        var buffer: [UInt8] = []

        /// Appends the buffer to the file and empties it; on failure the unwritten events are
        /// dropped rather than retried, since part of them may already be in the file.
        mutating func writeBuffer(path: String) throws {
            guard let file else {
                throw EventFileError(.writeAfterClose, path: path, reason: "the writer was closed")
            }
            defer { buffer.removeAll(keepingCapacity: true) }
            try file.append(buffer)
        }
    }

    /// Creates `logDirectory` if needed and a new event file in it.
    ///
    /// The file starts with the `brain.Event:2` version event TensorBoard expects first, written
    /// at once so the file is valid while training runs.
    public init(logDirectory: String, filenameSuffix: String = "") throws {
        try createLogDirectory(logDirectory)
        let now = Date().timeIntervalSince1970
        let directory = logDirectory.hasSuffix("/") ? String(logDirectory.dropLast()) : logDirectory
        path = directory + "/" + EventFileName.next(unixTime: now, suffix: filenameSuffix)
        state = Mutex(State(file: try EventFileHandle(creating: path)))

        var version = Tensorboard_Event()
        version.wallTime = now
        version.fileVersion = "brain.Event:2"
        try write(version)
        try flush()
    }

    deinit {
        try? close()
    }

    /// Writes the buffered events to the file.
    public func flush() throws {
        try state.withLock { state in try state.writeBuffer(path: path) }
    }

    /// Flushes and closes the file; later adds throw, later closes do nothing.
    public func close() throws {
        try state.withLock { state in
            guard let file = state.file else { return }
            state.file = nil
            defer { state.buffer = [] }
            try file.append(state.buffer)
            try file.close()
        }
    }

    /// Buffers `event` as one record, writing the buffer once it is large.
    func write(_ event: Tensorboard_Event) throws {
        let bytes: [UInt8] = try event.serializedBytes()
        try state.withLock { state in
            guard state.file != nil else {
                throw EventFileError(.writeAfterClose, path: path, reason: "the writer was closed")
            }
            TFRecord.append(bytes, to: &state.buffer)
            if state.buffer.count >= Self.autoFlushByteCount { try state.writeBuffer(path: path) }
        }
    }

    /// An event at `step` and `wallTime` (now if nil) carrying `summary`.
    static func event(_ summary: Tensorboard_Summary, step: Int, wallTime: Double?) -> Tensorboard_Event {
        var event = Tensorboard_Event()
        event.wallTime = wallTime ?? Date().timeIntervalSince1970
        event.step = Int64(step)
        event.summary = summary
        return event
    }
}
