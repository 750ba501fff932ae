import LightningOptim

/// A benchmark model built the way a user builds it: layers, a flat gradient buffer, SGD.
struct LayerWorkload {
    let model: Sequential
    let optimizer: SGD

    init(_ model: Sequential) {
        self.model = model
        _ = model.flattenGradients()
        optimizer = SGD(model.parameters(), lr: 0.01, momentum: 0.9)
    }

    /// 784→512→ReLU→256→ReLU→10.
    static func mlp(generator: Generator) -> LayerWorkload {
        LayerWorkload(Sequential(Linear(784, 512, generator: generator), ReLU(),
                                 Linear(512, 256, generator: generator), ReLU(),
                                 Linear(256, 10, generator: generator)))
    }

    /// Conv(1,16,3,p1)→ReLU→MaxPool2→Conv(16,32,3,p1)→ReLU→MaxPool2→Flatten→Linear(1568,10).
    static func cnn(generator: Generator) -> LayerWorkload {
        LayerWorkload(Sequential(Conv2d(1, 16, kernelSize: 3, padding: 1, generator: generator), ReLU(), MaxPool2d(kernelSize: 2),
                                 Conv2d(16, 32, kernelSize: 3, padding: 1, generator: generator), ReLU(), MaxPool2d(kernelSize: 2),
                                 Flatten(), Linear(1568, 10, generator: generator)))
    }

    /// One step: forward, cross entropy, zero grad, backward, SGD update.
    @discardableResult
    func step(_ x: Tensor, _ y: Tensor) -> Float {
        let loss = crossEntropy(logits: model(x), targets: y)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        return loss.item()
    }
}
