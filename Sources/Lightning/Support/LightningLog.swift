import Logging

/// Where the Trainer's own messages go. They are swift-log messages from a logger of the library's
/// own (label `swift-lightning`), so nothing here calls `LoggingSystem.bootstrap`, which a process
/// may call only once and which belongs to the application.
public enum LightningLog {
    /// Makes the handler of the Trainer's logger from its label; by default a ``TrainerLogHandler``
    /// writing plain lines to standard error. The logger's metadata carries `rank` and `world_size`.
    public static var handlerFactory: @Sendable (String) -> any LogHandler {
        get { TrainerLog.factory }
        set { TrainerLog.factory = newValue }
    }

    /// Sends the Trainer's messages to the handlers the application bootstrapped `LoggingSystem` with.
    public static func useLoggingSystem() {
        handlerFactory = { Logger(label: $0).handler }
    }

    /// Restores the default: plain lines on standard error.
    public static func useDefaultHandler() {
        handlerFactory = { TrainerLogHandler(label: $0) }
    }
}
