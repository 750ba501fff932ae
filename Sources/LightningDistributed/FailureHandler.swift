import Synchronization
import LightningTensor

/// Ends the whole job on the first failure in any rank, with a message naming the rank.
///
/// Under MPI a rank that dies alone leaves the others blocked in their next collective; routing
/// every failure through ``Communicator/abort(code:message:)`` ends all of them within seconds.
public enum FailureHandler {
    /// The communicator failures go to; `nil` until ``install(for:)``.
    private static let installed = Mutex<(any Communicator)?>(nil)

    /// Routes failures to `communicator`: errors reaching ``run(_:)``, ``fail(_:code:)``, and, under MPI, fatal signals.
    public static func install(for communicator: any Communicator) {
        installed.withLock { $0 = communicator }
        failureObserver = { FailureHandler.reportUsageFailure($0) }
        // A lone process keeps Swift's own crash report (with a backtrace): there is no job to end.
        if communicator is MPICommunicator { FatalSignalHandler.install(rank: communicator.rank) }
    }

    /// Runs `body`; an error thrown out of it ends every rank with `[rank N] uncaught error: …` and status 1.
    public static func run<Result>(_ body: () throws -> Result) -> Result {
        do {
            return try body()
        } catch {
            fail("uncaught error: \(error)")
        }
    }

    /// Ends every rank with `[rank N] message` and status `code` (this process alone before ``install(for:)``).
    public static func fail(_ message: String, code: Int32 = 1) -> Never {
        let communicator: any Communicator = installed.withLock { $0 } ?? SingleProcessCommunicator()
        communicator.abort(code: code, message: message)
    }

    /// For the tensor library's usage failures: ends every rank under a multi-process communicator,
    /// else returns so the caller stops this process as it always does (with Swift's backtrace).
    static func reportUsageFailure(_ message: String) {
        guard let communicator = installed.withLock({ $0 }), communicator.worldSize > 1 else { return }
        communicator.abort(code: 1, message: message)
    }
}
