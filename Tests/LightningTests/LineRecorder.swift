import Foundation
import Lightning
import Logging

/// Collects written text (log lines, progress-bar output) for assertions; safe to call from any thread.
// Unchecked: `storage` changes only under `lock`.
final class LineRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    /// Everything written so far, in order.
    var lines: [String] { lock.withLock { storage } }

    /// Appends one piece of text.
    func write(_ text: String) { lock.withLock { storage.append(text) } }

    /// Routes the Trainer's log messages here while `body` runs, then restores the default handler.
    @discardableResult
    func capturingTrainerLog<R>(_ body: () throws -> R) rethrows -> R {
        LightningLog.handlerFactory = { label in TrainerLogHandler(label: label, write: { self.write($0) }) }
        defer { LightningLog.useDefaultHandler() }
        return try body()
    }
}
