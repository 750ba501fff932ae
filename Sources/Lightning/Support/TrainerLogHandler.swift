import Foundation
import Logging

/// The Trainer's log lines, plain and readable: `message` for information, `warning: message`
/// for warnings and worse, with `[rank N] ` in front when the logger's metadata says the run has
/// several processes (`world_size` > 1). Other metadata is left out: these lines are for people.
public struct TrainerLogHandler: LogHandler {
    /// Messages below this level are dropped.
    public var logLevel: Logger.Level = .info
    /// The logger's metadata (`rank` and `world_size` decide the prefix).
    public var metadata: Logger.Metadata = [:]
    /// Adds metadata when a message is logged.
    public var metadataProvider: Logger.MetadataProvider?
    private let write: @Sendable (String) -> Void

    /// A handler writing each line (newline included) with `write`, by default to standard error.
    public init(label: String, write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.write = write
    }

    /// One metadata value.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the event's line.
    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        write(Self.line(level: event.level, message: "\(event.message)", metadata: merged) + "\n")
    }

    /// `[rank 1] warning: message`, `message`, …
    static func line(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var prefix = ""
        if let world = metadata[TrainerLog.worldSizeKey].flatMap({ Int("\($0)") }), world > 1,
           let rank = metadata[TrainerLog.rankKey] {
            prefix = "[rank \(rank)] "
        }
        switch level {
        case .info, .notice: return prefix + message
        default: return prefix + "\(level): " + message
        }
    }
}
