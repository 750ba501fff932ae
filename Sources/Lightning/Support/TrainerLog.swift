import Logging
import Synchronization

/// The Trainer's own messages, through swift-log: only rank 0 prints informational lines; every
/// rank prints warnings, which ``TrainerLogHandler`` prefixes with `[rank N]` once a run has
/// several processes.
enum TrainerLog {
    /// Metadata key of this process's rank.
    static let rankKey = "rank"
    /// Metadata key of the number of processes.
    static let worldSizeKey = "world_size"

    /// The handler factory, the rank and world size the logger's metadata carries, and the logger
    /// made from them, changed together.
    private struct State {
        var factory: @Sendable (String) -> any LogHandler = { TrainerLogHandler(label: $0) }
        var rank = 0
        var worldSize = 1
        lazy var logger = makeLogger()

        func makeLogger() -> Logger {
            var logger = Logger(label: "swift-lightning", factory: factory)
            logger[metadataKey: rankKey] = "\(rank)"
            logger[metadataKey: worldSizeKey] = "\(worldSize)"
            return logger
        }
    }

    private static let state = Mutex(State())

    /// Makes the handler of the Trainer's logger from its label.
    static var factory: @Sendable (String) -> any LogHandler {
        get { state.withLock { $0.factory } }
        set { state.withLock { $0.factory = newValue; $0.logger = $0.makeLogger() } }
    }

    /// This process's rank (only rank 0 prints informational lines).
    static var rank: Int {
        get { state.withLock { $0.rank } }
        set { state.withLock { $0.rank = newValue; $0.logger[metadataKey: rankKey] = "\(newValue)" } }
    }

    /// The number of processes.
    static var worldSize: Int {
        get { state.withLock { $0.worldSize } }
        set { state.withLock { $0.worldSize = newValue; $0.logger[metadataKey: worldSizeKey] = "\(newValue)" } }
    }

    /// The logger, as the last settings made it.
    static var logger: Logger { state.withLock { $0.logger } }

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
