/// `validate`, `test` and `predict` without a module, as Lightning's `trainer.validate()` after
/// `fit`: they run the module of the last `fit`, restoring its best checkpoint first.
extension Trainer {
    /// Runs the validation loop with the fitted module on `dataloaders`. Without `ckptPath`, the
    /// best checkpoint of the last fit is loaded first (the current weights when the fit had no
    /// checkpoint callback); the TrainerLog says which. Throws before any `fit`.
    @discardableResult
    public func validate<Batch>(dataloaders: DataLoader<Batch>, ckptPath: String? = nil, verbose: Bool = true) throws -> [[String: Double]] {
        try validate(dataloaders: [dataloaders], ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the validation loop with the fitted module on every loader of `dataloaders` (see
    /// `validate(dataloaders:)`); one dictionary per loader.
    @discardableResult
    public func validate<Batch>(dataloaders: [DataLoader<Batch>], ckptPath: String? = nil, verbose: Bool = true) throws -> [[String: Double]] {
        let (module, path) = try fittedRun(.validate, ckptPath: ckptPath)
        return try validateFitted(module, dataloaders, path, verbose)
    }

    /// Runs the test loop with the fitted module on `dataloaders` (see `validate(dataloaders:)`).
    @discardableResult
    public func test<Batch>(dataloaders: DataLoader<Batch>, ckptPath: String? = nil, verbose: Bool = true) throws -> [[String: Double]] {
        try test(dataloaders: [dataloaders], ckptPath: ckptPath, verbose: verbose)
    }

    /// Runs the test loop with the fitted module on every loader of `dataloaders`; one dictionary per loader.
    @discardableResult
    public func test<Batch>(dataloaders: [DataLoader<Batch>], ckptPath: String? = nil, verbose: Bool = true) throws -> [[String: Double]] {
        let (module, path) = try fittedRun(.test, ckptPath: ckptPath)
        return try testFitted(module, dataloaders, path, verbose)
    }

    /// Predicts with the fitted module on `dataloaders` (see `validate(dataloaders:)`);
    /// under data parallelism rank 0 gets every output in dataset order. The fitted module's
    /// `predictStep` must return a `Tensor` here; pass the module to `predict(_:dataloaders:)` for
    /// structured outputs.
    public func predict<Batch>(dataloaders: DataLoader<Batch>, ckptPath: String? = nil) throws -> [Tensor] {
        try predict(dataloaders: [dataloaders], ckptPath: ckptPath)[0]
    }

    /// Predicts with the fitted module on every loader of `dataloaders`; one list of outputs per loader.
    public func predict<Batch>(dataloaders: [DataLoader<Batch>], ckptPath: String? = nil) throws -> [[Tensor]] {
        let (module, path) = try fittedRun(.predict, ckptPath: ckptPath)
        return try predictFitted(module, dataloaders, path)
    }

    /// The fitted module and the checkpoint a model-less `stage` loads, said in the TrainerLog.
    private func fittedRun(_ stage: Stage, ckptPath: String?) throws -> (any LightningModuleProtocol, String?) {
        guard let module = fittedModule else {
            throw LightningError.misconfiguration("\(stage) was called without a module, but this Trainer has not run fit; "
                + "pass the module (trainer.\(stage)(model, dataloaders: …)) or call fit first")
        }
        if let ckptPath {
            TrainerLog.info("\(stage): no module given; using the fitted \(type(of: module)) with the checkpoint \(ckptPath)")
            return (module, ckptPath)
        }
        guard checkpointCallback != nil else {
            TrainerLog.info("\(stage): no module given and no checkpoint callback; using the fitted \(type(of: module))'s current weights")
            return (module, nil)
        }
        let best = try resolveCheckpointPath(CheckpointAlias.best.rawValue, stage: stage)
        TrainerLog.info("\(stage): no module given; restoring the best checkpoint of the last fit: \(best)")
        return (module, best)
    }

    private func validateFitted<M: LightningModuleProtocol, Batch>(_ module: M, _ loaders: [DataLoader<Batch>], _ path: String?,
                                                                   _ verbose: Bool) throws -> [[String: Double]] {
        try validate(module, dataloaders: loaders.map { try matching($0, module) }, ckptPath: path, verbose: verbose)
    }

    private func testFitted<M: LightningModuleProtocol, Batch>(_ module: M, _ loaders: [DataLoader<Batch>], _ path: String?,
                                                               _ verbose: Bool) throws -> [[String: Double]] {
        try test(module, dataloaders: loaders.map { try matching($0, module) }, ckptPath: path, verbose: verbose)
    }

    private func predictFitted<M: LightningModuleProtocol, Batch>(_ module: M, _ loaders: [DataLoader<Batch>], _ path: String?) throws -> [[Tensor]] {
        try Self.requireTensorOutputs(M.self)
        return try predict(module, dataloaders: loaders.map { try matching($0, module) }, ckptPath: path).map { $0.compactMap { $0 as? Tensor } }
    }

    /// `loader` as a loader of the fitted module's batches, or an error naming both types.
    private func matching<M: LightningModuleProtocol, Batch>(_ loader: DataLoader<Batch>, _ module: M) throws -> DataLoader<M.Batch> {
        guard let typed = loader as? DataLoader<M.Batch> else {
            throw LightningError.misconfiguration("the fitted \(M.self) takes batches of \(M.Batch.self), but the loader yields \(Batch.self)")
        }
        return typed
    }
}
