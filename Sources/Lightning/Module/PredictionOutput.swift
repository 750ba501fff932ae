/// A structured output of `predictStep` that the Trainer can take apart into tensors and put
/// back together, so that predictions of any structure are gathered across processes (rows in
/// dataset order) by the one path that gathers tensors.
///
/// `Tensor`, `[Tensor]` and `[String: Tensor]` conform; tuples of tensors, which Swift cannot
/// make conform, are handled by ``PredictionTensors`` directly. Every tensor of an output has one
/// row per sample of its batch.
public protocol PredictionOutput {
    /// The output's tensors with their names, in an order fixed by the names alone.
    var namedTensors: [(name: String, tensor: Tensor)] { get }
    /// The output whose ``namedTensors`` are `named` (the same names in the same order).
    init(namedTensors named: [(name: String, tensor: Tensor)]) throws
}

/// A tensor is its own single, unnamed part.
extension Tensor: PredictionOutput {
    /// The tensor under the empty name.
    public var namedTensors: [(name: String, tensor: Tensor)] { [("", self)] }
    /// The one tensor of `named`.
    public init(namedTensors named: [(name: String, tensor: Tensor)]) throws {
        guard named.count == 1 else { throw PredictionTensors.mismatch(named, expected: "one tensor") }
        self = named[0].tensor
    }
}

/// A list of tensors, named by position.
extension Array: PredictionOutput where Element == Tensor {
    /// The tensors named `"0"`, `"1"`, ….
    public var namedTensors: [(name: String, tensor: Tensor)] { enumerated().map { ("\($0.offset)", $0.element) } }
    /// The tensors of `named`, in order.
    public init(namedTensors named: [(name: String, tensor: Tensor)]) throws {
        guard named.map(\.name) == named.indices.map({ "\($0)" }) else { throw PredictionTensors.mismatch(named, expected: "tensors named by position") }
        self = named.map(\.tensor)
    }
}

/// A dictionary of tensors, named by key.
extension Dictionary: PredictionOutput where Key == String, Value == Tensor {
    /// The tensors by key, keys sorted.
    public var namedTensors: [(name: String, tensor: Tensor)] { keys.sorted().map { ($0, self[$0]!) } }
    /// The dictionary of `named`.
    public init(namedTensors named: [(name: String, tensor: Tensor)]) throws {
        guard Set(named.map(\.name)).count == named.count else { throw PredictionTensors.mismatch(named, expected: "distinct keys") }
        self = Dictionary(uniqueKeysWithValues: named.map { ($0.name, $0.tensor) })
    }
}
