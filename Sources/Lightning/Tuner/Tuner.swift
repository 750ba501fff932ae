import Foundation
import LightningPlot

/// Lightning's `Tuner`: finds a learning rate before training.
///
/// ```swift
/// let result = try Tuner(trainer).lrFind(model, trainDataloaders: train)
/// if let rate = result.suggestion() { model.learningRate = rate }
/// try trainer.fit(model, trainDataloaders: train)
/// ```
public struct Tuner {
    /// The Trainer whose settings the sweep uses (accumulation, clipping, strategy, root directory).
    public let trainer: Trainer

    /// A tuner for `trainer`.
    public init(_ trainer: Trainer) { self.trainer = trainer }

    /// Trains `model` for up to `numTraining` optimizer steps while the learning rate sweeps from
    /// `minLR` to `maxLR`, then puts the model's weights and buffers back as they were (the real
    /// fit starts from the same point, with optimizers `configureOptimizers` makes anew), and
    /// returns the rates and smoothed losses with ``LearningRateFinderResult/suggestion(skipBegin:skipEnd:)``.
    /// Nothing is logged or checkpointed; validation does not run. Under `mpirun` every rank
    /// sweeps together and returns rank 0's record, so all pick the same rate.
    ///
    /// It is a fit that ends after a ``LearningRateFinder``'s sweep, which sets no rate itself.
    public func lrFind<M: LightningModuleProtocol>(_ model: M, trainDataloaders: DataLoader<M.Batch>, valDataloaders: DataLoader<M.Batch>? = nil,
                                                   minLR: Double = 1e-8, maxLR: Double = 1, numTraining: Int = 100,
                                                   mode: LearningRateSweepMode = .exponential, earlyStopThreshold: Double? = 4) throws -> LearningRateFinderResult {
        try sweep(LearningRateFinder(minLR: minLR, maxLR: maxLR, numTraining: numTraining, mode: mode, earlyStopThreshold: earlyStopThreshold,
                                     updateAttribute: false, endsFit: true)) { sweeper in
            try sweeper.fit(model, trainDataloaders: trainDataloaders)
        }
    }

    /// ``lrFind(_:trainDataloaders:valDataloaders:minLR:maxLR:numTraining:mode:earlyStopThreshold:)`` with a data module's training loader.
    public func lrFind<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, minLR: Double = 1e-8, maxLR: Double = 1,
                                                                  numTraining: Int = 100, mode: LearningRateSweepMode = .exponential,
                                                                  earlyStopThreshold: Double? = 4) throws -> LearningRateFinderResult where D.Batch == M.Batch {
        try sweep(LearningRateFinder(minLR: minLR, maxLR: maxLR, numTraining: numTraining, mode: mode, earlyStopThreshold: earlyStopThreshold,
                                     updateAttribute: false, endsFit: true)) { sweeper in
            try sweeper.fit(model, datamodule: datamodule)
        }
    }

    private func sweep(_ finder: LearningRateFinder, run: (Trainer) throws -> Void) throws -> LearningRateFinderResult {
        let sweeper = Trainer(limitValBatches: 0, numSanityValSteps: 0,
                              accumulateGradBatches: trainer.accumulateGradBatches, gradientClipVal: trainer.gradientClipVal,
                              gradientClipAlgorithm: trainer.gradientClipAlgorithm, useDistributedSampler: trainer.useDistributedSampler,
                              enableCheckpointing: false, enableProgressBar: false, enableModelSummary: false,
                              defaultRootDir: trainer.defaultRootDir, callbacks: [finder], logger: false, strategy: trainer.strategy,
                              syncBatchnorm: trainer.syncBatchnorm)
        try run(sweeper)
        return finder.result ?? LearningRateFinderResult(learningRates: [], losses: [], diverged: false)
    }
}

extension LearningRateFinderResult {
    /// The smoothed loss against log₁₀ of the rate as an SVG picture, the suggestion marked
    /// (Lightning's `lr_finder.plot(suggest=True)`).
    public func svg(title: String = "learning rate finder") -> String {
        var series = [MetricSeries(name: "loss", column: "loss",
                                   points: zip(learningRates, losses).filter { $0.1.isFinite }.map { PlotPoint(x: log10($0.0), y: $0.1) })]
        if let index = optimalIndex() {
            series.append(MetricSeries(name: "suggestion \(String(format: "%.3g", learningRates[index]))", column: "suggestion",
                                       points: [PlotPoint(x: log10(learningRates[index]), y: losses[index])]))
        }
        return SVGChart(title: title, panels: [PlotPanel(family: "loss", series: series, xLabel: "log10(learning rate)", integralX: false)]).render()
    }

    /// Writes ``svg(title:)`` to `path` atomically.
    public func writeSVG(to path: String) throws {
        try MetricsPlot.write(svg(), to: path)
    }
}
