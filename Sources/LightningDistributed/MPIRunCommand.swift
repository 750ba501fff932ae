#if canImport(Glibc)
import Glibc
#endif

/// The `mpirun` command line the package itself starts jobs with (the tests' launches, the bench's
/// self-launches): one place for the flags every such launch needs. People start jobs with
/// `cluster/launch.sh`, which documents the same flags for the shell.
///
/// Every launch has mpirun's `--timeout` (a job that hangs is killed with its ranks) and, past the
/// core count, `--oversubscribe` (Open MPI refuses more ranks than cores otherwise). Variables the
/// caller names are forwarded with `-x` (a local launch inherits them anyway; remote ranks need it).
package struct MPIRunCommand: Sendable {
    /// The number of processes.
    package var ranks: Int
    /// mpirun's `--timeout`, in seconds: it ends the whole job past this.
    package var timeoutSeconds: Int
    /// Variables to forward to every rank.
    package var forwardedVariables: [String]

    /// A launch of `ranks` processes that mpirun ends after `timeoutSeconds`.
    package init(ranks: Int, timeoutSeconds: Int, forwarding forwardedVariables: [String] = []) {
        precondition(ranks >= 1 && timeoutSeconds >= 1, "MPIRunCommand: ranks and timeout must be >= 1")
        self.ranks = ranks
        self.timeoutSeconds = timeoutSeconds
        self.forwardedVariables = forwardedVariables
    }

    /// Open MPI refuses to start as root without both of these.
    package static let rootVariables = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]

    /// `mpirun` on `PATH`, or `nil` when Open MPI's launcher is not installed.
    package static func locateMPIRun(path: String? = getenv("PATH").map { String(cString: $0) }) -> String? {
        (path ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/mpirun" }.first { access($0, X_OK) == 0 }
    }

    /// The whole command: `mpirun -n N --timeout T [--oversubscribe] [-x NAME…] program…`.
    package func arguments(mpirun: String, program: [String],
                           cores: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) -> [String] {
        var command = [mpirun, "-n", String(ranks), "--timeout", String(timeoutSeconds)]
        if ranks > cores { command.append("--oversubscribe") }
        for name in Set(forwardedVariables).sorted() { command += ["-x", name] }
        return command + program
    }

    /// `environment` with ``rootVariables`` added where it does not set them.
    package static func environment(_ environment: [String: String]) -> [String: String] {
        environment.merging(rootVariables) { own, _ in own }
    }
}
