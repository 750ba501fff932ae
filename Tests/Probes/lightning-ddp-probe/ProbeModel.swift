import Lightning

/// A small MLP classifier whose training, validation and prediction the probe runs.
final class ProbeModel: LightningModule {
    let net: Sequential
    let optimizerName: String
    let failure: Failure?
    /// The rank whose training steps sleep (`--slow-rank R`), to check the profiler names it.
    var slowRank: Int?

    /// A deliberate failure on one rank, to check the job ends promptly.
    struct Failure {
        var mode: String
        var rank: Int
        var step: Int
    }

    /// `batchNorm`: a BatchNorm1d after the first layer (for `--sync-batchnorm`).
    init(optimizer: String, failure: Failure?, batchNorm: Bool = false) {
        net = batchNorm ? Sequential(Linear(12, 32), BatchNorm1d(32), ReLU(), Linear(32, 16), ReLU(), Linear(16, 4))
            : Sequential(Linear(12, 32), ReLU(), Linear(32, 16), ReLU(), Linear(16, 4))
        optimizerName = optimizer
        self.failure = failure
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        try failIfAsked()
        if let slowRank, trainer?.globalRank == slowRank { usleep(20_000) }
        let logits = net(batch.0)
        var loss = crossEntropy(logits: logits, targets: batch.1)
        if let failure, failure.mode == "anomaly", trainer?.globalRank == failure.rank, trainer?.globalStep == failure.step {
            // Adds 0 to the loss, but sqrt's derivative at 0 times the zero gradient is 0 × inf = NaN.
            loss = loss + (logits * 0).sqrt().sum() * 0
        }
        log("train_loss", loss, onStep: true, onEpoch: true)
        return loss
    }

    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        let logits = net(batch.0)
        log("val_loss", crossEntropy(logits: logits, targets: batch.1))
        log("val_acc", accuracy(logits: logits, targets: batch.1))
        if let failure, failure.mode == "keys", trainer?.globalRank == failure.rank {
            log("extra_metric", 1.0)
        }
    }

    /// The module applied to the input; `--failure predict-throw` throws at predict batch `step`
    /// on rank `rank`, after earlier batches were written.
    func predictStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        if let failure, failure.mode == "predict-throw", trainer?.globalRank == failure.rank, batchIndex == failure.step {
            throw LightningError.misconfiguration("probe: a deliberate error in predictStep at batch \(batchIndex)")
        }
        return self(batch.0)
    }

    func configureOptimizers() -> OptimizerConfig {
        optimizerName == "adam" ? .init(Adam(parameters(), lr: 0.01)) : .init(SGD(parameters(), lr: 0.1, momentum: 0.9))
    }

    private func failIfAsked() throws {
        guard let failure, let trainer, trainer.globalRank == failure.rank, trainer.globalStep == failure.step else { return }
        switch failure.mode {
        case "throw": throw LightningError.misconfiguration("probe: a deliberate error in trainingStep at step \(failure.step)")
        case "kill": kill(getpid(), SIGKILL)
        case "hang": while true { sleep(60) }
        case "sigterm": kill(getpid(), SIGTERM)
        default: break
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
