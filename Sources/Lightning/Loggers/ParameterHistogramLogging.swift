import LightningNN

/// A logger that records histograms of the module's parameters and their gradients
/// (``TensorBoardLogger`` with `logHistogramsEveryNSteps`).
///
/// The Trainer calls it on rank 0 when the gradients are final and the weights not yet
/// updated: after backward (and the data-parallel reduction, so they are every rank's mean),
/// before clipping and the optimizer step that uses and then zeroes them.
protocol ParameterHistogramLogging: ExperimentLogger {
    /// Whether this logger records histograms at `step`.
    func wantsHistograms(at step: Int) -> Bool
    /// Records each parameter's values and (when it has one) its gradient at `step`.
    func logHistograms(of parameters: [(name: String, parameter: Parameter)], step: Int) throws
}
