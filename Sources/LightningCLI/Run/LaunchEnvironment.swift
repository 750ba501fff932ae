import Foundation
import LightningDistributed

/// What the launcher says about this process before any Trainer exists, so configuration errors
/// and `--print_config` are printed once per job rather than once per rank.
enum LaunchEnvironment {
    /// This process's rank as the launcher set it; 0 when not launched.
    static var rank: Int { DistributedEnvironment.launcherRank() }

    /// The number of processes the launcher started, where it says; `nil` otherwise.
    static var worldSize: Int? { DistributedEnvironment.launcherWorldSize() }

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
