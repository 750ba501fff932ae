#if canImport(Glibc)
import Glibc
#endif

/// How this process was started, and the communicator that follows from it.
///
/// The world comes from the launcher itself: there is no device or node count to keep in sync.
public enum DistributedEnvironment {
    /// Variables that MPI launchers set in each process they start (Open MPI's mpirun, PMIx, PMI/Slurm).
    public static let launcherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"]

    /// Whether `environment` shows that an MPI launcher started the process.
    public static func isLaunchedByMPI(environment: [String: String]) -> Bool {
        launcherVariables.contains { environment[$0] != nil }
    }

    /// Whether an MPI launcher started this process.
    public static var isLaunchedByMPI: Bool {
        launcherVariables.contains { ProcessEnvironment.value($0) != nil }
    }

    /// ``MPICommunicator/shared`` under an MPI launcher, else a ``SingleProcessCommunicator`` (MPI untouched).
    public static func communicator() -> any Communicator {
        isLaunchedByMPI ? MPICommunicator.shared : SingleProcessCommunicator()
    }

    /// The communicator, with ``FailureHandler`` installed for it and ``DeviceBinding`` applied: what a program calls first.
    public static func start() -> any Communicator {
        let communicator = communicator()
        FailureHandler.install(for: communicator)
        DeviceBinding.apply(for: communicator)
        return communicator
    }
}

/// Reading this process's environment without Foundation.
enum ProcessEnvironment {
    /// The value of variable `name`, or `nil` when it is not set.
    static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
