/// Updates parameters in place from their gradients (PyTorch's `torch.optim.Optimizer`).
///
/// The Trainer, schedulers and checkpointing only need this protocol; ``OptimizerBase`` implements
/// it for the built-in optimizers.
public protocol Optimizer: AnyObject {
    /// Every parameter, group by group; a parameter's position here is its index in ``OptimizerState``.
    var parameters: [Parameter] { get }

    /// Each group's learning rate (what LR schedulers read and write).
    var learningRates: [Double] { get set }

    /// Each group's cycled momentum (see ``OptimizerOptions/cycledMomentum``), or `nil` when the
    /// optimizer has none; OneCycleLR writes it.
    var momenta: [Double]? { get set }

    /// Applies one update to every parameter whose gradient is not `nil`.
    func step()

    /// Clears gradients: to `nil` (`setToNone`, PyTorch's default) or to zeros in place.
    func zeroGrad(setToNone: Bool)

    /// A snapshot of the state (buffers copied) and hyperparameters, to resume training from.
    func stateDict() -> OptimizerState

    /// Restores a snapshot from ``stateDict()``; throws naming the mismatch and changes nothing
    /// if it was taken from another optimizer type or other groups or shapes.
    func loadStateDict(_ state: OptimizerState) throws
}

extension Optimizer {
    /// Sets every gradient to `nil` (PyTorch's `zero_grad()`).
    public func zeroGrad() { zeroGrad(setToNone: true) }
}
