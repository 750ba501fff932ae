/// What `swift-lightning` is asked to do: LightningCLI's subcommands.
public enum Subcommand: String, CaseIterable, Sendable {
    /// Train (with validation, checkpoints, logging).
    case fit
    /// One validation pass.
    case validate
    /// One test pass.
    case test
    /// Outputs for the prediction data, gathered in dataset order.
    case predict

    /// One line for `--help`.
    var summary: String {
        switch self {
        case .fit: return "train the model, validating and checkpointing as configured"
        case .validate: return "run one validation pass (load weights with --ckpt_path)"
        case .test: return "run one test pass (load weights with --ckpt_path)"
        case .predict: return "predict on the data's prediction split; write them with --predict.output FILE"
        }
    }
}
