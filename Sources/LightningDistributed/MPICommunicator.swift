import LightningTensor
#if canImport(Glibc)
import Glibc
#endif
import CMPI

/// The communicator over Open MPI's `MPI_COMM_WORLD`, for processes started by `mpirun`.
///
/// MPI is initialized once per process, by ``shared``, and finalized at exit. Every collective
/// is watched by a ``CollectiveWatchdog``: one that blocks past ``collectiveTimeout`` ends
/// the job with a message naming it. MPI errors end the job too (`[rank N] MPI_… failed: …`).
// Unchecked: its stored properties are constants set in `init`, except the watchdog's timeout (an
// atomic); MPI itself is initialized with MPI_THREAD_SERIALIZED, one collective at a time.
public final class MPICommunicator: Communicator, @unchecked Sendable {
    /// This process's communicator; its first use initializes MPI.
    public static let shared = MPICommunicator()

    /// This process's rank in `MPI_COMM_WORLD`.
    public let rank: Int
    /// The size of `MPI_COMM_WORLD`.
    public let worldSize: Int
    /// This process's rank among the ranks sharing its node (`MPI_Comm_split_type(SHARED)`).
    public let localRank: Int
    /// The number of ranks sharing this node.
    public let localWorldSize: Int
    /// The thread support MPI provides (`MPI_THREAD_SERIALIZED` is asked for).
    public let threadSupport: Int32

    let world: MPI_Comm
    /// The ranks sharing this node's memory (`MPI_Comm_split_type(SHARED)`), ordered by world rank.
    let node: MPI_Comm
    let watchdog: CollectiveWatchdog
    /// The fused `(a + b) × ½` reduction when the world has exactly two ranks.
    let pairMean: MPI_Op?

    /// How long one collective may block before the job is aborted; `nil` waits forever.
    ///
    /// Defaults to `LIGHTNING_COLLECTIVE_TIMEOUT` seconds (`0` disables), else 300 s.
    public var collectiveTimeout: Duration? {
        get { watchdog.timeout }
        set { watchdog.timeout = newValue }
    }

    private init() {
        var provided: Int32 = 0
        // SERIALIZED rather than FUNNELED: Swift code (async code especially) may reach the
        // communicator from different threads, one at a time; Open MPI runs both without locks.
        let started = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided)
        if started != cmpi_success() {
            StandardError.write(line: "LightningDistributed: MPI_Init_thread failed (\(MPIStatus.errorText(started)))")
            exit(1)
        }
        atexit { MPICommunicator.finalizeAtExit() }
        world = cmpi_comm_world()
        threadSupport = provided

        var rank: Int32 = 0, size: Int32 = 0
        // Errors come back as codes, so they end the job with a message naming the call.
        MPIStatus.require(MPI_Comm_set_errhandler(world, cmpi_errors_return()), "MPI_Comm_set_errhandler", rank: -1)
        MPIStatus.require(MPI_Comm_rank(world, &rank), "MPI_Comm_rank", rank: -1)
        MPIStatus.require(MPI_Comm_size(world, &size), "MPI_Comm_size", rank: Int(rank))
        self.rank = Int(rank)
        worldSize = Int(size)
        (node, localRank, localWorldSize) = Self.nodeLocalRank(world: world, rank: rank)
        pairMean = size == 2 ? PairMeanOp.create() : nil

        let timeout = CollectiveWatchdog.timeout(fromVariable: ProcessEnvironment.value(CollectiveWatchdog.timeoutVariable))
        watchdog = CollectiveWatchdog(timeout: timeout) { [rank = Int(rank)] message in
            JobTermination.abort(rank: rank, code: 1, message: message)
        }
    }

    /// The communicator of the ranks that share this node's memory, and this rank's rank and size in it.
    private static func nodeLocalRank(world: MPI_Comm, rank: Int32) -> (comm: MPI_Comm, rank: Int, size: Int) {
        var local = cmpi_comm_null()
        MPIStatus.require(MPI_Comm_split_type(world, cmpi_comm_type_shared(), rank, cmpi_info_null(), &local),
                          "MPI_Comm_split_type", rank: Int(rank))
        var localRank: Int32 = 0, localSize: Int32 = 0
        MPI_Comm_rank(local, &localRank)
        MPI_Comm_size(local, &localSize)
        // A successful split always yields a communicator (MPI_COMM_NULL is not a null pointer).
        return (local!, Int(localRank), Int(localSize))
    }

    /// Finalizes MPI at normal exit (watched: a peer that never finalizes is a hang too).
    private static func finalizeAtExit() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        guard finalized == 0, !JobTermination.isAborting.load(ordering: .sequentiallyConsistent) else { return }
        shared.watchdog.begin(CollectiveDescriptor(.finalize))
        MPI_Finalize()
        shared.watchdog.end()
    }

    /// Prints `[rank N] message` and ends every rank of the job through `MPI_Abort`.
    public func abort(code: Int32, message: String) -> Never {
        JobTermination.abort(rank: rank, code: code, message: message)
    }

    /// Ends the job when an MPI call did not succeed, naming it.
    func check(_ code: Int32, _ call: StaticString) {
        if code != cmpi_success() { abort(code: 1, message: "\(call) failed: \(MPIStatus.errorText(code))") }
    }
}
