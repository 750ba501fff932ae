/// A fit's training loader and validation loaders as this process iterates them, with their plans:
/// requested from the run's data when the fit starts and again once
/// `reloadDataloadersEveryNEpochs` epochs have passed since the last request (Lightning's
/// `_should_reload_train_dl` / `_should_reload_val_dl`).
final class FitLoaders<Batch> {
    unowned let trainer: Trainer
    let data: DataSource<Batch>
    /// The epoch the training loader was last requested in.
    private var lastTrainRequest: Int?
    /// The epoch the validation loaders were last requested in for a validation run (`nil`: not
    /// yet, as Lightning's `-inf`).
    private var lastValRequest: Int?

    init(trainer: Trainer, data: DataSource<Batch>) {
        self.trainer = trainer
        self.data = data
    }

    /// The training loader and its plan, requested now.
    func train() throws -> (loader: DataLoader<Batch>, plan: BatchPlan) {
        guard let base = try data.train() else {
            throw LightningError.misconfiguration("fit: no training data; pass trainDataloaders or a data module whose trainDataLoader() returns a loader")
        }
        lastTrainRequest = trainer.currentEpoch
        return try trainer.stageLoader(.train, base: base)
    }

    /// Every validation loader with its own plan, requested now (none: no validation); they
    /// count as requested for this epoch's validation only where validation is due in this
    /// epoch, as in Lightning.
    func val() throws -> [(loader: DataLoader<Batch>, plan: BatchPlan)] {
        if validatesInEpoch { lastValRequest = trainer.currentEpoch }
        return try trainer.stageLoaders(.validation, bases: data.val())
    }

    /// Counts the loaders as requested in the epoch a restored checkpoint continues (Lightning
    /// requests them when its restarted loop starts).
    func resumed() {
        lastTrainRequest = trainer.currentEpoch
        lastValRequest = validatesInEpoch ? trainer.currentEpoch : nil
    }

    /// Whether the loaders are requested again during the fit at all.
    var reloads: Bool { trainer.reloadDataloadersEveryNEpochs > 0 }
    /// Whether the training loader is due to be requested again at the start of this epoch.
    var trainDue: Bool { isDue(lastTrainRequest) }
    /// Whether the validation loader is due to be requested again for a validation run now.
    var valDue: Bool { isDue(lastValRequest) }

    /// Whether validation is due in the current epoch (Lightning's `_should_check_val_epoch`).
    private var validatesInEpoch: Bool {
        trainer.checkValEveryNEpoch.map { (trainer.currentEpoch + 1) % $0 == 0 } ?? true
    }

    private func isDue(_ last: Int?) -> Bool {
        let every = trainer.reloadDataloadersEveryNEpochs
        guard every > 0 else { return false }
        guard let last else { return true }
        return trainer.currentEpoch - last >= every
    }
}
