import Foundation

/// `validate` and `test`: one evaluation pass, its metrics returned and logged.
extension Trainer {
    /// Runs the validation loop once; returns the epoch metrics (one dictionary per loader).
    /// `ckptPath` (`"best"`, `"last"`, a file) loads those weights first.
    @discardableResult
    public func validate<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                      verbose: Bool = true) throws -> [[String: Double]] {
        try runEvaluation(model, data: .loaders(val: [dataloaders]), stage: .validate, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the validation loop once over every loader, one after the other; returns one
    /// dictionary per loader, its keys suffixed `/dataloader_idx_N` when there are several (see
    /// ``LightningModuleProtocol/validationStep(_:batchIndex:dataloaderIndex:)``).
    @discardableResult
    public func validate<M: LightningModuleProtocol>(_ model: M, dataloaders: [DataLoader<M.Batch>], ckptPath: String? = nil,
                                                      verbose: Bool = true) throws -> [[String: Double]] {
        try runEvaluation(model, data: .loaders(val: dataloaders), stage: .validate, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the validation loop on the data module's validation loaders.
    @discardableResult
    public func validate<M: LightningModuleProtocol, D: DataModule>(_ model: M, datamodule: D, ckptPath: String? = nil,
                                                                     verbose: Bool = true) throws -> [[String: Double]] where D.Batch == M.Batch {
        try runEvaluation(model, data: .module(datamodule), stage: .validate, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the test loop once; returns the epoch metrics (one dictionary per loader).
    @discardableResult
    public func test<M: LightningModuleProtocol>(_ model: M, dataloaders: DataLoader<M.Batch>, ckptPath: String? = nil,
                                                  verbose: Bool = true) throws -> [[String: Double]] {
        try runEvaluation(model, data: .loaders(test: [dataloaders]), stage: .test, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the test loop once over every loader, one after the other; returns one dictionary
    /// per loader (see `validate(_:dataloaders:)` with an array).
    @discardableResult
    public func test<M: LightningModuleProtocol>(_ model: M, dataloaders: [DataLoader<M.Batch>], ckptPath: String? = nil,
                                                  verbose: Bool = true) throws -> [[String: Double]] {
        try runEvaluation(model, data: .loaders(test: dataloaders), stage: .test, ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the test loop on the data module's test loaders.
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
            let bases = try stage == .test ? data.test() : data.val()
            guard !bases.isEmpty else {
                throw LightningError.misconfiguration("\(stage): no \(stage == .test ? "test" : "validation") data; pass dataloaders or a data module that provides them")
            }
            let staged = try stageLoaders(stage == .test ? .test : .validation, bases: bases)
            if let resolvedPath { try restore(from: resolvedPath, hooks: hooks, full: false) }
            let output = try EvaluationLoop(hooks: hooks, stage: resultStage).run(loaders: staged.map(\.loader),
                                                                                  limits: staged.map(\.plan.local)) { output in
                try self.sendToLoggers(output.forLoggers, step: self.progress.batchesThatStepped)
            }
            if verbose && isGlobalZero { printResults(output.perLoader, stage: stage) }
            try endRun(hooks, data: data, stage: stage, status: "success")
            return output.perLoader
        } catch {
            failRun(hooks, error: error)
            throw error
        }
    }

    /// The metrics as a small table with a column per loader, like Lightning's results print-out.
    private func printResults(_ perLoader: [[String: Double]], stage: Stage) {
        let keys = Set(perLoader.flatMap(\.keys)).sorted()
        guard !keys.isEmpty else { return }
        let width = max(20, keys.map(\.count).max() ?? 0) + 2
        let pad = { (text: String, width: Int) in text.padding(toLength: width, withPad: " ", startingAt: 0) }
        let cells = perLoader.indices.map { "DataLoader \($0)" }
        let columnWidth = max(24, cells.map(\.count).max() ?? 0) + 2
        var lines = [pad("\(stage == .test ? "Test" : "Validate") metric", width) + cells.map { pad($0, columnWidth) }.joined()]
        for key in keys {
            lines.append(pad(key, width) + perLoader.map { pad($0[key].map { "\($0)" } ?? "", columnWidth) }.joined())
        }
        print(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n"))
    }
}
