import Foundation
import Logging

/// The Trainer's own messages, through swift-log: `[rank N]` is prefixed once a run has several
/// processes, and only rank 0 prints informational lines.
enum TrainerLog {
    nonisolated(unsafe) static var logger = Logging.Logger(label: "swift-lightning")
    nonisolated(unsafe) static var rank = 0
    nonisolated(unsafe) static var worldSize = 1

    /// Informational output (rank 0 only).
    static func info(_ message: String) {
        guard rank == 0 else { return }
        logger.info("\(prefix)\(message)")
    }

    /// A warning (every rank).
    static func warning(_ message: String) {
        logger.warning("\(prefix)\(message)")
    }

    private static var prefix: String { worldSize > 1 ? "[rank \(rank)] " : "" }
}
