#if canImport(Glibc)
import Glibc
#endif

/// How this process was started, and the communicator that follows from it.
///
/// The world comes from the launcher itself: there is no device or node count to keep in sync.
public enum DistributedEnvironment {
    /// The variables an MPI launcher sets in each process it starts that give its rank: Open MPI's
    /// mpirun, PMIx (Open MPI 5, `srun --mpi=pmix`) and PMI (MPICH, `srun --mpi=pmi2`), in that order.
    public static let rankVariables = ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"]
    /// The variables that give the number of processes the launcher started, where it says.
    public static let worldSizeVariables = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"]
    /// Every variable whose presence means an MPI launcher started the process (what a test or a
    /// tool removes to start a child that must not think it is a rank).
    public static let launcherVariables = rankVariables + worldSizeVariables

    /// Whether `environment` shows that an MPI launcher started the process.
    public static func isLaunchedByMPI(environment: [String: String]) -> Bool {
        launcherVariables.contains { environment[$0] != nil }
    }

    /// Whether an MPI launcher started this process.
    public static var isLaunchedByMPI: Bool {
        launcherVariables.contains { ProcessEnvironment.value($0) != nil }
    }

    /// The rank the launcher gave this process (readable before MPI starts); 0 when not launched.
    public static func launcherRank(environment: [String: String]? = nil) -> Int {
        rankVariables.lazy.compactMap { read($0, environment).flatMap { Int($0) } }.first ?? 0
    }

    /// The number of processes the launcher started, where it says (Open MPI, PMI); `nil` otherwise.
    public static func launcherWorldSize(environment: [String: String]? = nil) -> Int? {
        worldSizeVariables.lazy.compactMap { read($0, environment).flatMap { Int($0) } }.first
    }

    /// The variables that give this process's rank on its node: Open MPI, MPICH (Hydra), Slurm.
    public static let localRankVariables = ["OMPI_COMM_WORLD_LOCAL_RANK", "MPI_LOCALRANKID", "SLURM_LOCALID"]
    /// The variables that give the number of processes on this node: Open MPI, MPICH (Hydra).
    public static let localWorldSizeVariables = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS"]

    /// This process's rank on its node as the launcher gave it (readable before MPI starts); 0
    /// when not launched.
    public static func launcherLocalRank(environment: [String: String]? = nil) -> Int {
        localRankVariables.lazy.compactMap { read($0, environment).flatMap { Int($0) } }.first ?? 0
    }

    /// The number of processes the launcher started on this node, where it says; `nil` otherwise
    /// (1 when no launcher started this process).
    public static func launcherLocalWorldSize(environment: [String: String]? = nil) -> Int? {
        if let size = localWorldSizeVariables.lazy.compactMap({ read($0, environment).flatMap { Int($0) } }).first { return size }
        let launched = environment.map { isLaunchedByMPI(environment: $0) } ?? isLaunchedByMPI
        return launched ? nil : 1
    }

    private static func read(_ name: String, _ environment: [String: String]?) -> String? {
        environment.map { $0[name] } ?? ProcessEnvironment.value(name)
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
