#if canImport(Glibc)
import Glibc
#endif
import CMPI
import Synchronization

/// The one way a process under MPI ends on failure: `[rank N] message`, then `MPI_Abort`.
///
/// `MPI_Abort` makes the launcher kill every rank, so the job ends within seconds instead of
/// the other ranks waiting forever in their next collective.
enum JobTermination {
    /// Set once an abort begins, so the exit-time `MPI_Finalize` (a collective) is skipped.
    static let isAborting = Atomic<Bool>(false)
    /// If `MPI_Abort` itself hangs (a lock held by a crashed thread), `SIGALRM`'s default
    /// action still ends this process after this many seconds, and the launcher then ends the job.
    static let backstopSeconds: UInt32 = 5

    /// Prints `[rank N] message` on standard error and aborts the whole job with status `code`.
    static func abort(rank: Int, code: Int32, message: String) -> Never {
        isAborting.store(true, ordering: .sequentiallyConsistent)
        fputs("[rank \(rank)] \(message)\n", stderr)
        fflush(stderr)
        armBackstop()
        MPI_Abort(cmpi_comm_world(), code)
        _exit(code)
    }

    /// Starts the `SIGALRM` backstop (async-signal-safe, for the fatal-signal path too).
    static func armBackstop() {
        signal(SIGALRM, SIG_DFL)
        alarm(backstopSeconds)
    }
}
