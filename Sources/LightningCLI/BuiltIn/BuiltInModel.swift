import Lightning

/// The built-in models (`mlp`, `cnn`): a network with a classification head (cross entropy,
/// `val_acc`) or a regression head (mean squared error), trained with the configured optimizer.
final class BuiltInModel: LightningModule {
    /// The layers, saved as `net.0.weight`, … (PyTorch's `nn.Sequential` names).
    let net: Sequential
    /// Classification or regression.
    let task: ModelTask
    /// The shape each sample is given to `net` in (`[64]` for the MLP, `[1, 8, 8]` for the CNN).
    let sampleShape: [Int]
    /// Builds the optimizer over the parameters.
    private let makeOptimizer: ([Parameter]) -> any Optimizer

    init(net: Sequential, task: ModelTask, sampleShape: [Int], hyperparameters: Hyperparameters,
         makeOptimizer: @escaping ([Parameter]) -> any Optimizer) {
        self.net = net
        self.task = task
        self.sampleShape = sampleShape
        self.makeOptimizer = makeOptimizer
        super.init()
        saveHyperparameters(hyperparameters)
    }

    /// The network on `input` reshaped to `[N] + sampleShape` (flat rows for a CNN, images for an MLP).
    override func forward(_ input: Tensor) -> Tensor {
        let batch = input.shape.first ?? 1
        let shaped = input.shape.dropFirst().elementsEqual(sampleShape) ? input : input.reshaped(to: [batch] + sampleShape)
        return net(shaped)
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        let loss = self.loss(self(batch.0), batch.1)
        log("train_loss", loss, onStep: true, onEpoch: true, progressBar: true)
        return loss
    }

    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        evaluate(batch, prefix: "val")
    }

    func testStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        evaluate(batch, prefix: "test")
    }

    func configureOptimizers() -> OptimizerConfig { .init(makeOptimizer(parameters())) }

    private func evaluate(_ batch: (Tensor, Tensor), prefix: String) {
        let output = self(batch.0)
        log("\(prefix)_loss", loss(output, batch.1), progressBar: true)
        if task == .classification { log("\(prefix)_acc", accuracy(logits: output, targets: batch.1), progressBar: true) }
    }

    /// Cross entropy on class indices, or mean squared error (a `[N, 1]` output against `[N]` targets is compared as `[N]`).
    private func loss(_ output: Tensor, _ target: Tensor) -> Tensor {
        switch task {
        case .classification:
            return crossEntropy(logits: output, targets: target)
        case .regression:
            let matched = target.rank == 1 && output.rank == 2 && output.shape[1] == 1 ? output.reshaped(to: [output.shape[0]]) : output
            return mseLoss(matched, target)
        }
    }
}
