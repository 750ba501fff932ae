import Foundation
import Lightning

/// `--ckpt_path best` / `last` for a new process (validate, test, predict, a resumed fit): the
/// Trainer's directories and its best/last rule (``CheckpointDirectory``), limited to runs of the
/// same model. A log directory often holds runs of several models; the newest run's checkpoint
/// of another model would fail on shapes, so runs whose saved `config.yaml` names a different
/// `model` are passed over (and named when nothing else is left).
enum CheckpointLookup {
    /// The file `which` (`best`, `last`) stands for, in the newest run of `model` (the run's
    /// resolved `model` section); other paths are returned as they are. Says on rank 0 which run
    /// it chose when it passed over newer ones.
    static func resolve(_ which: String, trainer: Trainer, model: ConfigValue?) throws -> String {
        guard let alias = CheckpointAlias(rawValue: which) else { return which }
        let holding = trainer.checkpointDirectories.filter { !$0.checkpoints.isEmpty }
        var passedOver: [(directory: CheckpointDirectory, model: String)] = []
        for directory in holding {
            if let saved = try savedModel(of: directory), let model, saved != model {
                passedOver.append((directory, describe(saved)))
                continue
            }
            let file = alias == .best ? try directory.best() : directory.last
            guard let file else { continue }
            if !passedOver.isEmpty && LaunchEnvironment.isRankZero {
                print("ckpt_path \(which): \(file) (the newest run of this model; passed over \(passedOver.map(\.directory.path).joined(separator: ", ")), saved by other models)")
            }
            return file
        }
        if !passedOver.isEmpty {
            let list = passedOver.map { "\($0.directory.path) (\($0.model))" }.joined(separator: "; ")
            throw ConfigError.invalidValue(key: "ckpt_path", expected: "a checkpoint of this model (\(model.map(describe) ?? "?")); "
                                           + "the checkpoints under the log directory are other models': \(list); pass a file path instead",
                                           got: which)
        }
        throw ConfigError.invalidValue(key: "ckpt_path",
                                       expected: "a checkpoint file, or best/last once a fit has saved checkpoints under "
                                           + trainer.checkpointDirectories.map(\.path).joined(separator: ", "),
                                       got: which)
    }

    /// The `model` section of the `config.yaml` the CLI saved beside `directory` (in its
    /// `version_N`), or `nil` for a run without one (a program's own Trainer).
    private static func savedModel(of directory: CheckpointDirectory) throws -> ConfigValue? {
        let config = ((directory.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("config.yaml")
        guard let text = try? String(contentsOfFile: config, encoding: .utf8) else { return nil }
        return try ConfigValue(yaml: text, source: config).mapping?["model"]
    }

    /// `mlp {hidden_sizes: [128, 64], …}` for messages.
    private static func describe(_ model: ConfigValue) -> String {
        guard case .mapping(let m) = model, case .string(let name)? = m["class_path"] else { return model.shortDescription }
        return "\(name) \(m["init_args"]?.shortDescription ?? "{}")"
    }
}
