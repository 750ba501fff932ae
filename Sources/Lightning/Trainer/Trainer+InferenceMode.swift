import LightningTensor

extension Trainer {
    /// Runs an evaluation or prediction pass without gradients: under inference mode, or under
    /// `noGrad` with `inferenceMode: false`, where a step may turn them back on with `enableGrad`
    /// (Lightning's `inference_mode` flag).
    func withoutGradients<R>(_ body: () throws -> R) rethrows -> R {
        inferenceMode ? try LightningTensor.inferenceMode(body) : try noGrad(body)
    }
}
