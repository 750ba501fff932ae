/// The class every ``LightningModule`` inherits: a ``Module`` that also holds what a ``Trainer``
/// attaches while it runs it (the trainer, optimizers, hyperparameters, logging).
///
/// Users never name it: they write `final class Model: LightningModule`, which is this class
/// joined with ``LightningModuleProtocol``. It is a class rather than protocol state so that a
/// model needs no `super.init()` call and no stored properties for the Trainer's bookkeeping.
open class LightningModuleBase: Module {
    /// The trainer running this module, while one does.
    public internal(set) weak var trainer: Trainer?

    /// Whether the Trainer runs backward and steps the optimizers itself (the default); set it to
    /// `false` in `init` to call ``manualBackward(_:)`` and step ``optimizers()`` in `trainingStep`.
    public var automaticOptimization = true

    /// What ``saveHyperparameters(_:)`` recorded, written to `hparams.yaml` and checkpoints.
    public internal(set) var hparams: Hyperparameters = [:]

    /// The optimizers and schedulers of the current run, and its manual-backward hook.
    var runtime = ModuleRuntime()

    /// A module in training mode with no trainer attached.
    public override init() {
        super.init()
    }

    /// Calls the module's only child module, so a LightningModule that wraps one network (the
    /// common case) needs no `forward` of its own; override it otherwise.
    open override func forward(_ input: Tensor) -> Tensor {
        let children = namedChildren()
        guard children.count == 1 else {
            usageFailure("\(type(of: self)): forward(_:) is not implemented and the module has \(children.count) child modules "
                + "(\(children.map(\.name).joined(separator: ", "))); override forward(_:) to say how to call them")
        }
        return children[0].module(input)
    }

    /// The current epoch (0-based), or 0 outside a run.
    public var currentEpoch: Int { trainer?.currentEpoch ?? 0 }

    /// Optimizer steps taken so far, or 0 outside a run.
    public var globalStep: Int { trainer?.globalStep ?? 0 }
}

/// What a run attaches to its module: optimizers for manual optimization and the backward hook.
struct ModuleRuntime {
    /// The configured optimizers and schedulers.
    var configuration: OptimizerConfig?
    /// Runs backward with the hooks around it (manual optimization).
    var manualBackward: ((Tensor) throws -> Void)?
    /// Each parameter's `requiresGrad` before ``LightningModuleBase/toggleOptimizer(_:)``.
    var requiresGradBeforeToggle: [ObjectIdentifier: Bool] = [:]

    /// Throws (once) what a manual optimizer step's hooks threw during the training step.
    func throwStepFailure() throws {
        for case let optimizer as LightningOptimizer in configuration?.optimizers ?? [] { try optimizer.throwFailure() }
    }
}

/// What a training step may return: the loss, a dictionary holding `"loss"`, or nothing
/// (manual optimization).
public protocol TrainingStepOutput {
    /// The loss the Trainer backpropagates, if the step returned one.
    var trainingLoss: Tensor? { get }
}

extension Tensor: TrainingStepOutput {
    /// The tensor itself.
    public var trainingLoss: Tensor? { self }
}

extension Dictionary: TrainingStepOutput where Key == String, Value == Tensor {
    /// The entry `"loss"`.
    public var trainingLoss: Tensor? { self["loss"] }
}

extension Optional: TrainingStepOutput where Wrapped: TrainingStepOutput {
    /// The wrapped output's loss, or `nil`.
    public var trainingLoss: Tensor? { self?.trainingLoss }
}
