/// One epoch's step outputs, kept for the module's `…EpochEnd(outputs:)` hooks only when the
/// module asks for them (``LightningModuleProtocol/collectsEpochOutputs``), so modules that do
/// not implement them retain no step output.
struct EpochOutputs<Output> {
    /// Whether outputs are kept.
    let enabled: Bool
    /// The outputs so far, in batch order.
    private(set) var outputs: [Output] = []

    init(enabled: Bool) { self.enabled = enabled }

    /// Keeps `output` when collecting (and counts it on `trainer`, for tests).
    mutating func append(_ output: Output, trainer: Trainer) {
        guard enabled else { return }
        outputs.append(output)
        trainer.collectedEpochOutputs += 1
    }

    /// The outputs, leaving none behind.
    mutating func take() -> [Output] {
        defer { outputs = [] }
        return outputs
    }
}

/// A validation or test run's step outputs (the one of the run's stage is used).
struct EvaluationOutputs<M: LightningModuleProtocol> {
    var validation = EpochOutputs<M.ValidationOutput>(enabled: M.collectsEpochOutputs)
    var test = EpochOutputs<M.TestOutput>(enabled: M.collectsEpochOutputs)
}
