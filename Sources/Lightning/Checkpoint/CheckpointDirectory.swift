import Foundation

/// A directory of checkpoints and the one rule for which of them `"last"` and `"best"` name,
/// used by the Trainer (`ckptPath: "last"`) and by the CLI (`--ckpt_path best`) alike.
///
/// - last: the newest `last*.ckpt`; in a run that saved none, its newest checkpoint.
/// - best: among the other checkpoints, the one whose ModelCheckpoint recorded the best monitored
///   score (read from the checkpoint's callback state, with the callback's mode); the newest
///   when none recorded one (nothing was monitored); of equal scores, the one saved first.
public struct CheckpointDirectory: Equatable, Sendable {
    /// The directory.
    public let path: String

    /// The checkpoints in `path` (which need not exist yet).
    public init(_ path: String) {
        self.path = path
    }

    /// Its `.ckpt` files, as full paths in name order (none when the directory does not exist).
    public var checkpoints: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { $0.hasSuffix(".ckpt") }.sorted().map { "\(path)/\($0)" }
    }

    /// The file `"last"` names here, or `nil` when the directory holds no checkpoint.
    public var last: String? {
        let files = checkpoints
        let lasts = files.filter(Self.isLast)
        return Self.newest(lasts.isEmpty ? files : lasts)
    }

    /// The file `"best"` names here, or `nil` when the directory holds no checkpoint. Reads the
    /// checkpoints' metadata; throws when one cannot be read.
    public func best() throws -> String? {
        let files = checkpoints
        // Oldest first, so a tie goes to the checkpoint saved first, as Lightning's best_k_models
        // (a dict in save order) gives it.
        let ranked = files.filter { !Self.isLast($0) }.sorted { Self.modified($0) < Self.modified($1) }
        guard !ranked.isEmpty else { return Self.newest(files) }
        var scored: [(path: String, score: ModelCheckpoint.RecordedScore)] = []
        for path in ranked {
            if let score = ModelCheckpoint.recordedScore(in: try CheckpointIO.read(path: path)) { scored.append((path, score)) }
        }
        guard let first = scored.first else { return Self.newest(files) }
        // The first checkpoint's mode decides: one ModelCheckpoint wrote them all.
        let mode = first.score.mode
        return scored.reduce(first) { mode.isBetter($1.score.value, than: $0.score.value) ? $1 : $0 }.path
    }

    /// The first of `directories` holding a checkpoint: the newest run's, when they are listed
    /// newest first.
    public static func firstHoldingCheckpoints(_ directories: [CheckpointDirectory]) -> CheckpointDirectory? {
        directories.first { !$0.checkpoints.isEmpty }
    }

    /// Whether `path` is a `last*.ckpt` (`last.ckpt`, `last-v1.ckpt`).
    static func isLast(_ path: String) -> Bool {
        (path as NSString).lastPathComponent.hasPrefix("last")
    }

    /// The most recently modified of `files`.
    private static func newest(_ files: [String]) -> String? {
        files.max { modified($0) < modified($1) }
    }

    private static func modified(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }
}
