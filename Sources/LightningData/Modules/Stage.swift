/// What a ``DataModule`` is being set up for, as in Lightning's `setup(stage=...)`.
public enum Stage: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Training with validation (`Trainer.fit`).
    case fit
    /// Validation alone (`Trainer.validate`).
    case validate
    /// Testing (`Trainer.test`).
    case test
    /// Inference (`Trainer.predict`).
    case predict

    /// `fit`, `validate`, `test` or `predict`.
    public var description: String { rawValue }
}
