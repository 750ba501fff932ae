import Foundation
import Lightning

/// Finds `--ckpt_path best` / `last` on disk, in the newest run under the log directory that has
/// checkpoints, so a new process (validate, test, predict, a resumed fit) can name them.
enum CheckpointLookup {
    /// The file `which` (`best`, `last`) stands for; other paths are returned as they are.
    static func resolve(_ which: String, trainer: Trainer) throws -> String {
        guard which == "best" || which == "last" else { return which }
        guard let (directory, files) = newestCheckpoints(trainer) else {
            throw ConfigError.invalidValue(key: "ckpt_path", expected: "a checkpoint file, or best/last once a fit has saved checkpoints under \(searchRoots(trainer).joined(separator: ", "))",
                                           got: which)
        }
        let last = files.filter { ($0 as NSString).lastPathComponent.hasPrefix("last") }
        let others = files.filter { !last.contains($0) }
        if which == "last" { return newest(last.isEmpty ? files : last) }
        guard !others.isEmpty else { return newest(files) }
        return try best(among: others, in: directory)
    }

    /// The checkpoint with the best monitored score its ModelCheckpoint recorded (the newest when unmonitored).
    private static func best(among files: [String], in directory: String) throws -> String {
        var scored: [(path: String, score: Double, mode: MonitorMode)] = []
        for path in files {
            let checkpoint = try CheckpointIO.read(path: path)
            guard case .object(let states)? = checkpoint.metadata[CheckpointKey.callbacks],
                  let entry = states.first(where: { $0.key.hasPrefix("ModelCheckpoint{") }),
                  let score = entry.value["current_score"]?.number else { continue }
            scored.append((path, score, entry.key.contains("'mode': 'max'") ? .max : .min))
        }
        guard let first = scored.first else { return newest(files) }
        let better: (Double, Double) -> Bool = first.mode == .max ? { $0 > $1 } : { $0 < $1 }
        return scored.reduce(first) { better($1.score, $0.score) ? $1 : $0 }.path
    }

    private static func newest(_ files: [String]) -> String {
        files.max { modified($0) < modified($1) }!
    }

    private static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// The newest directory holding `.ckpt` files: explicit ModelCheckpoint directories first, then
    /// `version_N/checkpoints` under each logger's root (highest N first), then `<root>/checkpoints`.
    private static func newestCheckpoints(_ trainer: Trainer) -> (String, [String])? {
        var candidates = trainer.checkpointCallbacks.compactMap(\.dirpath)
        for root in searchRoots(trainer) {
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
                .compactMap { name in name.hasPrefix("version_") ? Int(name.dropFirst("version_".count)).map { (name, $0) } : nil }
                .sorted { $0.1 > $1.1 }
            candidates += versions.map { "\(root)/\($0.0)/checkpoints" }
        }
        candidates.append("\(trainer.defaultRootDir)/checkpoints")
        for directory in candidates {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasSuffix(".ckpt") }.map { "\(directory)/\($0)" }
            if !files.isEmpty { return (directory, files) }
        }
        return nil
    }

    /// Each logger's experiment directory (`<save_dir>/<name>`), and the default logger's (a
    /// `validate --trainer.logger false` still finds what `fit` saved).
    private static func searchRoots(_ trainer: Trainer) -> [String] {
        let roots = trainer.loggers.compactMap { $0.logDir.map { ($0 as NSString).deletingLastPathComponent } }
        let standard = "\(trainer.defaultRootDir)/lightning_logs"
        return roots.contains(standard) ? roots : roots + [standard]
    }
}
