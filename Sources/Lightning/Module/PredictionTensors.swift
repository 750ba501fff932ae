/// Takes `predictStep` outputs apart into named tensors and puts them back together: a
/// ``PredictionOutput`` through its conformance, a tuple of tensors (which no protocol can
/// describe) by its elements. The Trainer gathers predictions of every structure this way, and a
/// callback's `onPredictBatchEnd(…outputs: Any…)` can read any output with ``named(_:)``.
public enum PredictionTensors {
    /// The most elements a tuple output may have.
    public static let maximumTupleArity = 8

    /// `output`'s tensors with their names: a ``PredictionOutput``'s ``PredictionOutput/namedTensors``,
    /// or a tuple's elements named by label or position. Throws for any other value.
    public static func named(_ output: Any) throws -> [(name: String, tensor: Tensor)] {
        if let structured = output as? any PredictionOutput { return structured.namedTensors }
        let mirror = Mirror(reflecting: output)
        if mirror.displayStyle == .tuple {
            let elements = mirror.children.compactMap { $0.value as? Tensor }
            if elements.count == mirror.children.count, (1...maximumTupleArity).contains(elements.count) {
                return zip(mirror.children, elements).enumerated().map { position, pair in
                    let label = pair.0.label.map { $0.hasPrefix(".") ? String($0.dropFirst()) : $0 } ?? "\(position)"
                    return (label, pair.1)
                }
            }
        }
        throw LightningError.misconfiguration("predictStep returned \(type(of: output)); return a Tensor, a tuple of up to "
            + "\(maximumTupleArity) tensors, [Tensor], [String: Tensor] or a PredictionOutput")
    }

    /// The `Output` whose parts are `named`, as ``named(_:)`` gave them.
    static func rebuild<Output>(_ named: [(name: String, tensor: Tensor)], as type: Output.Type) throws -> Output {
        if let structured = Output.self as? any PredictionOutput.Type {
            // The cast cannot fail: `structured` is `Output.self`.
            return try structured.init(namedTensors: named) as! Output
        }
        let t = named.map(\.tensor)
        let tuple: Any
        switch t.count {
        case 1: tuple = t[0]
        case 2: tuple = (t[0], t[1])
        case 3: tuple = (t[0], t[1], t[2])
        case 4: tuple = (t[0], t[1], t[2], t[3])
        case 5: tuple = (t[0], t[1], t[2], t[3], t[4])
        case 6: tuple = (t[0], t[1], t[2], t[3], t[4], t[5])
        case 7: tuple = (t[0], t[1], t[2], t[3], t[4], t[5], t[6])
        case 8: tuple = (t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7])
        default: throw mismatch(named, expected: "\(Output.self)")
        }
        guard let output = tuple as? Output else { throw mismatch(named, expected: "\(Output.self)") }
        return output
    }

    /// The error for parts that do not make the expected output.
    static func mismatch(_ named: [(name: String, tensor: Tensor)], expected: String) -> LightningError {
        .misconfiguration("predict: cannot rebuild \(expected) from the tensors [\(named.map { "'\($0.name)'" }.joined(separator: ", "))]")
    }
}
