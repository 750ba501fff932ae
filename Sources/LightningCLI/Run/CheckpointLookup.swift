import Foundation
import Lightning

/// `--ckpt_path best` / `last` for a new process (validate, test, predict, a resumed fit): the
/// Trainer's own search (``Trainer/checkpointPath(for:)``), reported as a configuration error.
enum CheckpointLookup {
    /// The file `which` (`best`, `last`) stands for; other paths are returned as they are.
    static func resolve(_ which: String, trainer: Trainer) throws -> String {
        guard let alias = CheckpointAlias(rawValue: which) else { return which }
        guard let file = try trainer.checkpointPath(for: alias) else {
            throw ConfigError.invalidValue(key: "ckpt_path",
                                           expected: "a checkpoint file, or best/last once a fit has saved checkpoints under "
                                               + trainer.checkpointDirectories.map(\.path).joined(separator: ", "),
                                           got: which)
        }
        return file
    }
}
