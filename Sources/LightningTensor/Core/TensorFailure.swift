#if canImport(Glibc)
import Glibc
#endif

/// Stops the process with `op: message` on standard error.
///
/// Tensor operations, like PyTorch's, treat misuse (mismatched shapes, wrong dtypes, indices out
/// of range) as a programming error: they never continue with undefined behaviour, and the message
/// names the operation and the shapes involved.
package func tensorFailure(_ op: String, _ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    StandardError.write(line: "\(op): \(message)")
    failureObserver?("\(op): \(message)")
    fatalError("\(op): \(message)", file: file, line: line)
}

/// Runs before a usage failure stops the process; LightningDistributed installs one that ends
/// every rank of the job (set once at start-up, before any thread could fail).
@usableFromInline package nonisolated(unsafe) var failureObserver: ((String) -> Void)?

/// Formats shapes like PyTorch prints them, `[3, 4]`.
package func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

/// `precondition` that prints its message in optimized builds too (Swift's own drops it under
/// `-O`); for invalid arguments that are programming errors, not recoverable conditions.
@inlinable
package func usagePrecondition(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                              file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { usageFailure(message(), file: file, line: line) }
}

/// Stops the process with `message` on standard error, in every build configuration.
@inlinable
package func usageFailure(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    StandardError.write(line: message)
    failureObserver?(message)
    fatalError(message, file: file, line: line)
}
