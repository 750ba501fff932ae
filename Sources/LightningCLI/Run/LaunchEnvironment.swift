import Foundation
import LightningDistributed

/// What the launcher says about this process before any Trainer exists, so configuration errors
/// and `--print_config` are printed once per job rather than once per rank.
enum LaunchEnvironment {
    /// This process's rank as mpirun (Open MPI, PMIx, PMI) set it; 0 when not launched.
    static var rank: Int {
        let environment = ProcessInfo.processInfo.environment
        for name in ["OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"] {
            if let text = environment[name], let rank = Int(text) { return rank }
        }
        return 0
    }

    /// The number of processes the launcher started, where it says (Open MPI, PMI); `nil` otherwise.
    static var worldSize: Int? {
        let environment = ProcessInfo.processInfo.environment
        return ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"].lazy.compactMap { environment[$0].flatMap { Int($0) } }.first
    }

    /// Whether this is rank 0 (or not launched at all).
    static var isRankZero: Bool { rank == 0 }

    /// Prints `message` on standard error: a configuration error once (rank 0; every rank hits
    /// the same one), a run's failure on every rank, prefixed `[rank N]` under a launcher.
    static func reportError(_ message: String, everyRank: Bool = false) {
        guard everyRank || isRankZero else { return }
        let prefix = everyRank && DistributedEnvironment.isLaunchedByMPI ? "[rank \(rank)] " : ""
        FileHandle.standardError.write(Data((prefix + message + "\n").utf8))
    }
}
