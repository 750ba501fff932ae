/// Gathering predictions of any structure: each output is taken apart into named tensors
/// (``PredictionTensors``), each part is gathered by ``Strategy/gatherPredictions(_:indices:batches:)``
/// like a plain tensor output, and rank 0 puts every batch back together.
extension Strategy {
    /// Every process's `outputs` (one per batch, with each batch's dataset `indices`) put back
    /// into `batches`, the unsharded loader's batches, on rank 0; an empty array elsewhere.
    func gatherPredictionOutputs<Output>(_ outputs: [Output], indices: [[Int]], batches: [[Int]]) throws -> [Output] {
        let parts = try outputs.map(PredictionTensors.named)
        let names = parts.first?.map(\.name) ?? []
        if !parts.isEmpty && names.isEmpty { throw LightningError.misconfiguration("predict: predictStep returned an output without tensors") }
        if let other = parts.first(where: { $0.map(\.name) != names }) {
            throw LightningError.misconfiguration("predict: rank \(globalRank)'s predictStep returned outputs of different structures, "
                + "with tensors \(names) and \(other.map(\.name))")
        }
        // A rank whose shard had no batch learns the structure from the others.
        let described = parts.isEmpty ? [] : [JSONValue.array(names.map(JSONValue.string)).jsonText]
        guard let agreed = try agreeOnKeys(described, context: "the tensors of predictStep's outputs").first else { return [] }
        let agreedNames: [String] = try JSONValue(parsing: agreed).decode()
        var columns: [[Tensor]] = []
        for position in agreedNames.indices {
            columns.append(try gatherPredictions(parts.map { $0[position].tensor }, indices: indices, batches: batches))
        }
        guard let count = columns.first?.count else { return [] }
        return try (0..<count).map { batch in
            try PredictionTensors.rebuild(zip(agreedNames, columns.map { $0[batch] }).map { (name: $0.0, tensor: $0.1) }, as: Output.self)
        }
    }
}
