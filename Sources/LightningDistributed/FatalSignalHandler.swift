#if canImport(Glibc)
import Glibc
#endif
import CMPI
import Synchronization

/// Turns a crash in one rank into `[rank N] fatal signal SIGSEGV` and an `MPI_Abort` of the whole job.
///
/// The handler only formats into stack memory and calls `write(2)` before aborting; `MPI_Abort`
/// is not async-signal-safe, so the `SIGALRM` backstop and `SA_RESETHAND` (a second fault takes
/// the default action) make sure the process ends anyway, and the launcher then ends the job.
enum FatalSignalHandler {
    /// The signals a crash raises (SIGTRAP: Swift's traps on arm64; on x86-64 they are SIGILL).
    static let signals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]
    /// The rank the message names; read inside the handler, so an atomic rather than a lock.
    static let rank = Atomic<Int>(-1)
    /// Bytes for the handler's own stack, so a stack overflow's SIGSEGV can still be reported.
    static let alternateStackSize = 256 * 1024

    /// Installs the handler for ``signals`` on behalf of `rank`.
    static func install(rank: Int) {
        Self.rank.store(rank, ordering: .sequentiallyConsistent)
        installAlternateStack()
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = reportFatalSignal
            action.sa_flags = Int32(truncatingIfNeeded: SA_ONSTACK) | Int32(truncatingIfNeeded: SA_RESETHAND)
                | Int32(truncatingIfNeeded: SA_NODEFER)
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
    }

    /// The signal's name, as a static string the handler can write without allocating.
    static func name(of signal: Int32) -> StaticString {
        switch signal {
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGILL: return "SIGILL"
        case SIGFPE: return "SIGFPE"
        case SIGABRT: return "SIGABRT"
        case SIGTRAP: return "SIGTRAP"
        default: return "signal"
        }
    }

    private static func installAlternateStack() {
        // Kept for the life of the process: the kernel switches to it on any later fault.
        guard let memory = malloc(alternateStackSize) else { return }
        var stack = stack_t(ss_sp: memory, ss_flags: 0, ss_size: alternateStackSize)
        sigaltstack(&stack, nil)
    }
}

/// The `sigaction` handler: `[rank N] fatal signal NAME` on standard error, then `MPI_Abort`.
private func reportFatalSignal(_ signal: Int32) {
    JobTermination.isAborting.store(true, ordering: .sequentiallyConsistent)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
        var length = 0
        func append(_ text: StaticString) {
            text.withUTF8Buffer { bytes in
                for byte in bytes where length < buffer.count { buffer[length] = byte; length += 1 }
            }
        }
        func append(_ number: Int) {
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var value = Swift.max(number, 0), count = 0
            withUnsafeMutableBytes(of: &digits) { digit in
                repeat { digit[count] = UInt8(48 + value % 10); value /= 10; count += 1 } while value > 0 && count < 10
                while count > 0 && length < buffer.count { count -= 1; buffer[length] = digit[count]; length += 1 }
            }
        }
        append("[rank ")
        append(FatalSignalHandler.rank.load(ordering: .relaxed))
        append("] fatal signal ")
        append(FatalSignalHandler.name(of: signal))
        append("\n")
        _ = write(2, buffer.baseAddress, length)
    }
    JobTermination.armBackstop()
    MPI_Abort(cmpi_comm_world(), 128 + signal)
    _exit(128 + signal)
}
