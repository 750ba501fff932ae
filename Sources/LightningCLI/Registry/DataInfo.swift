/// What a data module's samples look like, so a built-in model can size itself to the data
/// (LightningCLI's argument linking, done for you): `input_size` and `num_classes` left `null`
/// are taken from here.
public struct DataInfo: Sendable, Equatable {
    /// What the targets are.
    public enum Targets: Sendable, Equatable {
        /// Int64 class indices in `0..<count`.
        case classes(Int)
        /// Float32 vectors of this many values (1: a scalar per sample).
        case values(Int)
    }

    /// One sample's input shape (`[64]`, `[1, 8, 8]`).
    public var inputShape: [Int]
    /// The kind of targets.
    public var targets: Targets

    /// A description of samples of `inputShape` with `targets`.
    public init(inputShape: [Int], targets: Targets) {
        self.inputShape = inputShape
        self.targets = targets
    }

    /// The number of input values per sample.
    public var inputSize: Int { inputShape.reduce(1, *) }
}

/// A data module that describes its samples; the CLI hands the description to the model's factory
/// (``ConfigSection/dataInfo``).
public protocol DataInfoProviding {
    /// The samples' shapes and target kind, or `nil` when unknown.
    var dataInfo: DataInfo? { get }
}
