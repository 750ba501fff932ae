import LightningNN

/// Weight and gradient histograms (`weights/<name>`, `gradients/<name>`).
extension TensorBoardLogger: ParameterHistogramLogging {
    func wantsHistograms(at step: Int) -> Bool {
        guard let every = logHistogramsEveryNSteps else { return false }
        return step % every == 0 && step != lastHistogramStep
    }

    func logHistograms(of parameters: [(name: String, parameter: Parameter)], step: Int) throws {
        lastHistogramStep = step
        let writer = try eventWriter()
        for (name, parameter) in parameters {
            try writer.addHistogram(tag: "weights/\(name)", values: parameter.value.scalars, step: step)
            if let gradient = parameter.grad {
                try writer.addHistogram(tag: "gradients/\(name)", values: gradient.scalars, step: step)
            }
        }
    }
}
