/// `loadFromCheckpoint`: a module's weights and hyperparameters from a checkpoint the Trainer
/// wrote (Lightning's `Model.load_from_checkpoint`).
///
/// ```swift
/// let model = Classifier(hidden: 64)
/// try model.loadFromCheckpoint(trainer.checkpointCallback!.bestModelPath)
/// // or build it from the saved hyperparameters:
/// let restored = try Classifier.loadFromCheckpoint(path) { hparams in Classifier(hidden: hparams["hidden"]!.intValue!) }
/// ```
extension LightningModuleBase {
    /// Loads the weights and `hparams` of the checkpoint at `path` into this module, after its
    /// `onLoadCheckpoint` hook (Lightning's order); returns the keys a non-strict load skipped.
    ///
    /// Throws ``LightningError/checkpoint(path:reason:)`` naming the file: missing, not a
    /// checkpoint, or weights that do not fit this module (naming the keys and shapes).
    @discardableResult
    public func loadFromCheckpoint(_ path: String, strict: Bool = true) throws -> StateDictLoadResult {
        try apply(CheckpointIO.read(path: path), from: path, strict: strict)
    }

    /// The checkpoint's hook, weights and hyperparameters applied to this module.
    func apply(_ checkpoint: Checkpoint, from path: String, strict: Bool) throws -> StateDictLoadResult {
        try (self as? any LightningModuleProtocol)?.onLoadCheckpoint(checkpoint)
        let result = try loadWeights(of: checkpoint, from: path, strict: strict)
        hparams.merge(checkpoint.hyperparameters) { _, saved in saved }
        return result
    }

    /// Copies the checkpoint's state dict into this module; throws naming the file and the mismatch.
    @discardableResult
    func loadWeights(of checkpoint: Checkpoint, from path: String, strict: Bool) throws -> StateDictLoadResult {
        do {
            return try loadStateDict(checkpoint.stateDict, strict: strict)
        } catch {
            throw LightningError.checkpoint(path: path, reason: "does not fit \(type(of: self)): \(error)")
        }
    }
}

/// A module that can be built with no arguments, so `Model.loadFromCheckpoint(path)` can make one.
public protocol DefaultInitializable {
    /// A module with its default configuration.
    init()
}

extension LightningModuleProtocol {
    /// A module built by `make` from the checkpoint's hyperparameters, with the checkpoint's
    /// weights and hyperparameters loaded into it (Lightning rebuilds the model from them too).
    public static func loadFromCheckpoint(_ path: String, strict: Bool = true,
                                          make: (Hyperparameters) throws -> Self) throws -> Self {
        let checkpoint = try CheckpointIO.read(path: path)
        let module = try make(checkpoint.hyperparameters)
        _ = try module.apply(checkpoint, from: path, strict: strict)
        return module
    }
}

extension LightningModuleProtocol where Self: DefaultInitializable {
    /// A module built with `init()`, with the checkpoint's weights and hyperparameters loaded.
    public static func loadFromCheckpoint(_ path: String, strict: Bool = true) throws -> Self {
        try loadFromCheckpoint(path, strict: strict) { _ in Self() }
    }
}
