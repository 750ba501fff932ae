import Foundation

/// The names `ckptPath` accepts for a checkpoint a run saved.
public enum CheckpointAlias: String, Sendable, CaseIterable {
    /// The checkpoint with the best monitored score.
    case best
    /// The latest checkpoint (`last.ckpt` when the run saved one).
    case last
}

/// Where a trainer's saved checkpoints are, for `ckptPath: "best"` / `"last"`, in this process
/// or a new one (the CLI's `--ckpt_path best` after a `fit`).
extension Trainer {
    /// The directories searched for checkpoints, newest run first: the ModelCheckpoints' own
    /// directories, then `version_N/checkpoints` under each logger's root and the default
    /// logger's (so a run with `logger: false` still finds what a logged fit saved), highest N
    /// first, then `<defaultRootDir>/checkpoints`.
    public var checkpointDirectories: [CheckpointDirectory] {
        let callbacks = checkpointCallbacks.isEmpty ? callbacksGivenCheckpoints : checkpointCallbacks
        var paths = callbacks.compactMap(\.dirpath)
        let standard = "\(defaultRootDir)/lightning_logs"
        var roots = loggers.compactMap { $0.logDir.map { ($0 as NSString).deletingLastPathComponent } }
        if !roots.contains(standard) { roots.append(standard) }
        for root in roots {
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
                .compactMap { name in name.hasPrefix("version_") ? Int(name.dropFirst("version_".count)).map { (name, $0) } : nil }
                .sorted { $0.1 > $1.1 }
            paths += versions.map { "\(root)/\($0.0)/checkpoints" }
        }
        paths.append("\(defaultRootDir)/checkpoints")
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }.map(CheckpointDirectory.init)
    }

    /// The file `alias` names, or `nil` when no checkpoint was saved: the best checkpoint the
    /// ModelCheckpoint of this process knows, else the answer of the newest directory holding
    /// checkpoints (``CheckpointDirectory``). Throws when a checkpoint's metadata cannot be read.
    public func checkpointPath(for alias: CheckpointAlias) throws -> String? {
        if alias == .best, let known = checkpointCallback?.bestModelPath, !known.isEmpty { return known }
        guard let directory = CheckpointDirectory.firstHoldingCheckpoints(checkpointDirectories) else { return nil }
        switch alias {
        case .best: return try directory.best()
        case .last: return directory.last
        }
    }
}
