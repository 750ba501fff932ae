import Logging

/// The Trainer's own messages, through swift-log: only rank 0 prints informational lines; every
/// rank prints warnings, which ``TrainerLogHandler`` prefixes with `[rank N]` once a run has
/// several processes.
enum TrainerLog {
    /// Metadata key of this process's rank.
    static let rankKey = "rank"
    /// Metadata key of the number of processes.
    static let worldSizeKey = "world_size"

    nonisolated(unsafe) static var factory: (String) -> any LogHandler = { TrainerLogHandler(label: $0) } {
        didSet { logger = makeLogger() }
    }
    nonisolated(unsafe) static var rank = 0 {
        didSet { logger[metadataKey: rankKey] = "\(rank)" }
    }
    nonisolated(unsafe) static var worldSize = 1 {
        didSet { logger[metadataKey: worldSizeKey] = "\(worldSize)" }
    }
    nonisolated(unsafe) private(set) static var logger = makeLogger()

    private static func makeLogger() -> Logger {
        var logger = Logger(label: "swift-lightning", factory: factory)
        logger[metadataKey: rankKey] = "\(rank)"
        logger[metadataKey: worldSizeKey] = "\(worldSize)"
        return logger
    }

    /// Informational output (rank 0 only).
    static func info(_ message: String) {
        guard rank == 0 else { return }
        logger.info("\(message)")
    }

    /// A warning (every rank).
    static func warning(_ message: String) {
        logger.warning("\(message)")
    }
}
