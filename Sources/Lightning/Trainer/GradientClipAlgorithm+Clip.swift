/// Applying a clip algorithm, shared by the Trainer's `gradientClipVal` and the module's `clipGradients`.
extension GradientClipAlgorithm {
    /// Clips the gradients of `parameters` to `value` (0 leaves them as they are).
    func clip(_ parameters: [Parameter], to value: Double) {
        guard value > 0 else { return }
        switch self {
        case .norm: clipGradNorm(parameters, maxNorm: value)
        case .value: clipGradValue(parameters, clipValue: value)
        }
    }
}
