import Lightning

/// The benchmark MLP as a LightningModule: logs its loss every step, SGD with momentum.
final class BenchMLP: LightningModule {
    let net: Sequential

    init(generator: Generator) {
        net = Sequential(Linear(784, 512, generator: generator), ReLU(), Linear(512, 256, generator: generator), ReLU(),
                         Linear(256, 10, generator: generator))
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        let loss = crossEntropy(logits: net(batch.0), targets: batch.1)
        log("train_loss", loss, onStep: true, onEpoch: true)
        return loss
    }

    func configureOptimizers() -> OptimizerConfig { .init(SGD(parameters(), lr: 0.01, momentum: 0.9)) }
}

/// `trainer_overhead_pct`: one MLP epoch through `Trainer.fit` (logging every step, no
/// checkpoints, progress bar, summary or logger files) against the same steps over the same loader
/// in a hand-written loop; rounds alternate, the median of the per-round ratios is reported.
func trainerOverheadPercent(samples: Int, batch: Int, rounds: Int, generator: Generator) throws -> Double {
    let x = Tensor.randn([samples, 784], generator: generator)
    let y = Tensor.randint(0, 10, [samples], generator: generator)
    let loader = DataLoader(TensorDataset(x, y), batchSize: batch, shuffle: true, seed: 1)
    let model = BenchMLP(generator: generator)
    model.flattenGradients()
    let optimizer = SGD(model.parameters(), lr: 0.01, momentum: 0.9)

    func handEpoch() -> Double {
        let start = now()
        for (xb, yb) in loader {
            let loss = crossEntropy(logits: model.net(xb), targets: yb)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            _ = loss.item()
        }
        return now() - start
    }
    func trainerEpoch() throws -> Double {
        let trainer = Trainer(maxEpochs: 1, logEveryNSteps: 1, enableCheckpointing: false, enableProgressBar: false,
                              enableModelSummary: false, logger: false)
        let start = now()
        try trainer.fit(model, trainDataloaders: loader)
        return now() - start
    }
    _ = handEpoch()
    _ = try trainerEpoch()
    var ratios: [Double] = []
    for _ in 0..<rounds {
        let hand = handEpoch()
        let viaTrainer = try trainerEpoch()
        ratios.append(viaTrainer / hand)
    }
    return (median(ratios) - 1) * 100
}
