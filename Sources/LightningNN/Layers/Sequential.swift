/// Applies its layers in order; they are named `0`, `1`, … in state dicts, as in PyTorch.
///
/// ```swift
/// let net = Sequential(Linear(64, 128), ReLU(), Linear(128, 10))
/// let same = Sequential {
///     Linear(64, 128)
///     ReLU()
///     if useDropout { Dropout(0.1) }
///     Linear(128, 10)
/// }
/// ```
public final class Sequential: Module {
    /// The layers, applied first to last.
    public private(set) var layers: [Module]

    /// A container applying `layers` in order.
    public init(_ layers: Module...) {
        self.layers = layers
    }

    /// A container applying `layers` in order.
    public init(_ layers: [Module]) {
        self.layers = layers
    }

    /// A container of the layers listed in `build`.
    public init(@SequentialBuilder _ build: () -> [Module]) {
        self.layers = build()
    }

    /// The number of layers.
    public var count: Int { layers.count }

    /// The layer at `index`.
    public subscript(index: Int) -> Module { layers[index] }

    /// Adds `layer` at the end (its name is the next index).
    public func append(_ layer: Module) { layers.append(layer) }

    /// Feeds `input` through every layer.
    public override func forward(_ input: Tensor) -> Tensor {
        layers.reduce(input) { x, layer in layer(x) }
    }

    /// Layers named by index, not `layers.0`, to match PyTorch's `nn.Sequential` keys.
    public override func namedDirectMembers() -> [(name: String, member: ModuleMember)] {
        layers.enumerated().map { (String($0.offset), .module($0.element)) }
    }
}

/// Builds the layer list of a ``Sequential`` from statements, with `if`, `if/else` and `for`.
@resultBuilder
public enum SequentialBuilder {
    /// One layer.
    public static func buildExpression(_ layer: Module) -> [Module] { [layer] }
    /// Several layers at once.
    public static func buildExpression(_ layers: [Module]) -> [Module] { layers }
    /// The statements of a block, in order.
    public static func buildBlock(_ parts: [Module]...) -> [Module] { parts.flatMap { $0 } }
    /// An `if` without `else`.
    public static func buildOptional(_ part: [Module]?) -> [Module] { part ?? [] }
    /// The `if` branch of an `if/else`.
    public static func buildEither(first part: [Module]) -> [Module] { part }
    /// The `else` branch of an `if/else`.
    public static func buildEither(second part: [Module]) -> [Module] { part }
    /// A `for` loop.
    public static func buildArray(_ parts: [[Module]]) -> [Module] { parts.flatMap { $0 } }
}
