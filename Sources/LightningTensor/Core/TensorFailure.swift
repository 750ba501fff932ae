#if canImport(Glibc)
import Glibc
#endif

/// Stops the process with `error: op: message` on standard error (see ``stopOnUsageFailure``).
///
/// Tensor operations, like PyTorch's, treat misuse (mismatched shapes, wrong dtypes, indices out
/// of range) as a programming error: they never continue with undefined behaviour, and the message
/// names the operation and the shapes involved, and what to do where that is known.
package func tensorFailure(_ op: String, _ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    stopOnUsageFailure("\(op): \(message)", file: file, line: line)
}

/// Runs before a usage failure stops the process; LightningDistributed installs one that ends
/// every rank of the job.
// Unsafe: set once at start-up (FailureHandler.install), before any thread could fail, and only read after.
@usableFromInline package nonisolated(unsafe) var failureObserver: ((String) -> Void)?

/// The variable that asks for Swift's crash report (with a backtrace) on a usage failure.
package let usageFailureBacktraceVariable = "SWIFT_LIGHTNING_BACKTRACE"

/// How every usage failure ends the process: the one-line message as `error: …` on standard
/// error, every rank of a multi-process job ended (``failureObserver``), then exit status 1. The
/// caller's bug is a stop, as in mlx-swift, but not a crash report: Swift's report (SIGILL, status
/// 132, a long backtrace) comes only when `SWIFT_LIGHTNING_BACKTRACE=1` asks for it.
@usableFromInline
package func stopOnUsageFailure(_ message: String, file: StaticString, line: UInt) -> Never {
    StandardError.write(line: "error: \(message)")
    failureObserver?(message)
    if getenv(usageFailureBacktraceVariable).map({ String(cString: $0) }) == "1" {
        fatalError(message, file: file, line: line)
    }
    // _exit, not exit: the failure may be on any thread, mid-operation, so no atexit handler runs;
    // what was printed is flushed first.
    fflush(nil)
    _exit(1)
}

/// Formats shapes like PyTorch prints them, `[3, 4]`.
package func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

/// `precondition` that prints its message in optimized builds too (Swift's own drops it under
/// `-O`); for invalid arguments that are programming errors, not recoverable conditions.
@inlinable
package func usagePrecondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                              file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { usageFailure(message(), file: file, line: line) }
}

/// Stops the process with `error: message` on standard error, in every build configuration (see
/// ``stopOnUsageFailure``).
@inlinable
package func usageFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    stopOnUsageFailure(message, file: file, line: line)
}
