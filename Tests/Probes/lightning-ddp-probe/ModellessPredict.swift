import Lightning

/// The `modelless-predict` mode: fit with a ModelCheckpoint, then predict without a module; rank 0
/// checks that the gathered outputs are the restored module's on each batch of the unsharded loader.
enum ModellessPredict {
    static func run(root: String, samples: Int, batch: Int) throws {
        let model = ProbeModel(optimizer: "sgd", failure: nil)
        let trainer = Trainer(maxEpochs: 2, numSanityValSteps: 0, enableProgressBar: false, enableModelSummary: false, defaultRootDir: root,
                              callbacks: [ModelCheckpoint(dirpath: "\(root)/checkpoints")], logger: false)
        let train = DataLoader(ProbeData.dataset(count: 16 * trainer.worldSize, seed: 1), batchSize: 4)
        try trainer.fit(model, trainDataloaders: train)
        let data = DataLoader(ProbeData.dataset(count: samples, seed: 2), batchSize: batch)
        let outputs = try trainer.predict(dataloaders: data)
        guard trainer.isGlobalZero else {
            guard outputs.isEmpty else { throw LightningError.misconfiguration("probe: rank \(trainer.globalRank) got \(outputs.count) outputs") }
            return
        }
        let expected = noGrad { data.map { model($0.0) } }
        guard outputs.count == (samples + batch - 1) / batch, outputs.map(\.scalars) == expected.map(\.scalars) else {
            throw LightningError.misconfiguration("probe: model-less predict gave \(outputs.count) batches, not the restored module's outputs in dataset order")
        }
        print("model-less predict ok: \(outputs.count) batches")
    }
}
