import Foundation

/// `validate` and `test`: one evaluation pass, its metrics returned and logged.
extension Trainer {
    /// Runs the validation loop once; returns the epoch metrics (one dictionary per loader).
    /// `ckptPath` (`"best"`, `"last"`, a file) loads those weights first.
    @discardableResult
    public func validate<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                      verbose: Bool = true) throws -> [[String: Double]] {
        try runEvaluation(model, data: .loaders(val: dataloaders), stage: .validate, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the validation loop on the data module's validation loader.
    @discardableResult
    public func validate<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                     verbose: Bool = true) throws -> [[String: Double]] where D.Batch == M.Batch {
        try runEvaluation(model, data: .module(datamodule), stage: .validate, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the test loop once; returns the epoch metrics (one dictionary per loader).
    @discardableResult
    public func test<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                  verbose: Bool = true) throws -> [[String: Double]] {
        try runEvaluation(model, data: .loaders(test: dataloaders), stage: .test, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the test loop on the data module's test loader.
    @discardableResult
    public func test<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                 verbose: Bool = true) throws -> [[String: Double]] where D.Batch == M.Batch {
        try runEvaluation(model, data: .module(datamodule), stage: .test, ckptPath: ckptPath, verbose: verbose)
    }

    private func runEvaluation<M: LightningModuleProtocol>(_ model: M, data: DataSource<M.Batch>, stage: Stage, ckptPath: String?,
                                                           verbose: Bool) throws -> [[String: Double]] {
        try checkArguments()
        let resolvedPath = try ckptPath.map { try resolveCheckpointPath($0, stage: stage) }
        let hooks = try beginRun(model, stage: stage)
        do {
            try prepare(data, hooks: hooks, stage: stage)
            let resultStage: ResultStage = stage == .test ? .test : .validation
            guard let base = try (stage == .test ? data.test() : data.val()) else {
                throw LightningError.misconfiguration("\(stage): no \(stage == .test ? "test" : "validation") data; pass dataloaders or a data module that provides them")
            }
            let (loader, plan) = try stageLoader(stage == .test ? .test : .validation, base: base)
            if let resolvedPath { try restore(from: resolvedPath, hooks: hooks, full: false) }
            let output = try EvaluationLoop(hooks: hooks, stage: resultStage).run(loader: loader, limit: plan.local) { output in
                try self.sendToLoggers(output.forLoggers, step: self.progress.batchesThatStepped)
            }
            if verbose && isGlobalZero { printResults(output.metrics, stage: stage) }
            try endRun(hooks, data: data, stage: stage, status: "success")
            return [output.metrics]
        } catch {
            failRun(hooks, error: error)
            throw error
        }
    }

    /// The metrics as a small table, like Lightning's results print-out.
    private func printResults(_ metrics: [String: Double], stage: Stage) {
        guard !metrics.isEmpty else { return }
        let width = max(20, metrics.keys.map(\.count).max() ?? 0)
        var lines = ["\(stage == .test ? "Test" : "Validate") metric".padding(toLength: width + 2, withPad: " ", startingAt: 0) + "DataLoader 0"]
        for key in metrics.keys.sorted() {
            lines.append(key.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "\(metrics[key]!)")
        }
        print(lines.joined(separator: "\n"))
    }
}
