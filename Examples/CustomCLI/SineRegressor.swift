import LightningCLI

/// A small network that learns `y = sin(x)`: a user's own LightningModule.
final class SineRegressor: LightningModule {
    let net: Sequential
    let learningRate: Double

    init(width: Int, learningRate: Double) {
        net = Sequential(Linear(1, width), Tanh(), Linear(width, width), Tanh(), Linear(width, 1))
        self.learningRate = learningRate
        super.init()
        saveHyperparameters(["width": .int(width), "learning_rate": .double(learningRate)])
    }

    func trainingStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws -> Tensor {
        let loss = mseLoss(net(batch.0), batch.1)
        log("train_loss", loss, onStep: true, onEpoch: true)
        return loss
    }

    func validationStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        log("val_loss", mseLoss(net(batch.0), batch.1), progressBar: true)
    }

    func testStep(_ batch: (Tensor, Tensor), batchIndex: Int) throws {
        log("test_loss", mseLoss(net(batch.0), batch.1))
    }

    func configureOptimizers() -> OptimizerConfig { .init(Adam(parameters(), lr: learningRate)) }

    /// The options `model.init_args` takes, and how they build the model.
    static let width = ConfigOption("width", default: 32, help: "hidden units per layer", minimum: 1)
    static let learningRate = ConfigOption("learning_rate", default: 0.01, help: "Adam's learning rate",
                                           valid: { $0 > 0 }, expected: "a number > 0")

    static var factory: ModelFactory {
        ModelFactory("sine", summary: "an MLP that learns sin(x)", options: [width, learningRate]) { section in
            SineRegressor(width: section[width], learningRate: section[learningRate])
        }
    }
}
