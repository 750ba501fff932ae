import LightningTensor
#if canImport(Glibc)
import Glibc
#endif
import CMPI
import Synchronization

/// The one way a process under MPI ends on failure: `[rank N] message`, then `MPI_Abort`.
///
/// `MPI_Abort` makes the launcher kill every rank, so the job ends within seconds instead of
/// the other ranks waiting forever in their next collective. The watchdog and signal handler call
/// it while the main thread may be inside MPI, which `MPI_THREAD_SERIALIZED` does not promise to
/// allow; Open MPI copes (the tests check it), and the `SIGALRM` backstop covers one that would not.
enum JobTermination {
    /// Set once an abort begins, so the exit-time `MPI_Finalize` (a collective) is skipped.
    static let isAborting = Atomic<Bool>(false)
    /// If `MPI_Abort` itself hangs (a lock held by a crashed thread), `SIGALRM`'s default
    /// action still ends this process after this many seconds, and the launcher then ends the job.
    static let backstopSeconds: UInt32 = 5

    /// Prints `[rank N] message` on standard error and aborts the whole job with status `code`.
    static func abort(rank: Int, code: Int32, message: String) -> Never {
        isAborting.store(true, ordering: .sequentiallyConsistent)
        fflush(nil)  // what the program printed so far is not lost with the process
        StandardError.write(line: "[rank \(rank)] \(message)")
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
