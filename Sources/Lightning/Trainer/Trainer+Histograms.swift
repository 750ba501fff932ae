/// Parameter and gradient histograms for the loggers that record them.
extension Trainer {
    /// Hands the module's parameters to every ``ParameterHistogramLogging`` logger due at the
    /// current step; rank 0 only. Called just before an optimizer step (see the protocol).
    func logParameterHistograms(of module: LightningModuleBase) throws {
        guard isGlobalZero else { return }
        let step = progress.batchesThatStepped
        let due = loggers.compactMap { $0 as? any ParameterHistogramLogging }.filter { $0.wantsHistograms(at: step) }
        guard !due.isEmpty else { return }
        let parameters = module.namedParameters()
        for logger in due { try logger.logHistograms(of: parameters, step: step) }
    }
}
