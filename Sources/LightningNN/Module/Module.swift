/// The base class of every layer and model, as `torch.nn.Module`.
///
/// Subclasses declare their layers, ``Parameter``s and ``Buffer``s as stored properties (single,
/// optional, arrays or string-keyed dictionaries of them); they are discovered with `Mirror`, so
/// there is nothing to register. Names follow PyTorch's state dicts: a property `fc1` holding a
/// layer with a `weight` gives `fc1.weight`, an array `blocks` gives `blocks.0.weight`, a
/// dictionary `heads` gives `heads.<key>.weight`, and a ``Sequential`` numbers its layers `0`,
/// `1`, …. Property names are converted to snake_case (`runningMean` → `running_mean`), the
/// spelling of the same model written in PyTorch.
///
/// ```swift
/// final class MLP: Module {
///     let fc1 = Linear(4, 8)
///     let fc2 = Linear(8, 2)
///     override func forward(_ x: Tensor) -> Tensor { fc2(fc1(x).relu()) }
/// }
/// ```
open class Module: CustomStringConvertible {
    /// Whether the module is in training mode (Dropout active, BatchNorm using batch statistics).
    public internal(set) var isTraining = true

    /// The flat gradient buffer made by ``flattenGradients()`` on this module, if any.
    public internal(set) var gradientLayout: GradientBufferLayout?

    /// Creates a module in training mode.
    public init() {}

    /// Computes the module's output; every module called as a function overrides this.
    open func forward(_ input: Tensor) -> Tensor {
        fatalError("\(type(of: self)): forward(_:) is not implemented; override it to call the module")
    }

    /// Calls ``forward(_:)``, so a module is used like a function: `model(x)`.
    public final func callAsFunction(_ input: Tensor) -> Tensor {
        forward(input)
    }

    /// The module's direct children, parameters and buffers, by name, in declaration order.
    ///
    /// The default reflects the stored properties of every subclass (superclass properties first);
    /// containers such as ``Sequential`` override it to name their items `0`, `1`, ….
    open func namedDirectMembers() -> [(name: String, member: ModuleMember)] {
        reflectedMembers()
    }

    /// Extra text shown inside the parentheses of ``description`` (e.g. `in_features=4, out_features=8`).
    open var extraDescription: String { "" }
}
