import LightningTensor

/// A trainable tensor set with one flat gradient buffer and an SGD-with-momentum update,
/// built from tensor operations only (no modules), as the tensor-engine benchmark asks.
final class RawParameters {
    var tensors: [Tensor] = []
    private var momentum: [Tensor] = []
    private var gradientBuffer: Tensor?

    /// A `[shape]` parameter drawn from PyTorch's default `U(−1/√fanIn, 1/√fanIn)`.
    func make(_ shape: [Int], fanIn: Int, generator: Generator) -> Tensor {
        let bound = 1 / Float(fanIn).squareRoot()
        let t = Tensor.rand(shape, low: -bound, high: bound, generator: generator).requiringGrad()
        tensors.append(t)
        momentum.append(Tensor.zeros(shape))
        return t
    }

    /// Gives every parameter a view into one contiguous gradient buffer.
    func flattenGradients() {
        let total = tensors.reduce(0) { $0 + $1.count }
        let buffer = Tensor.zeros([total])
        var offset = 0
        for t in tensors {
            t.assignGradientSlot(Tensor(storage: buffer.storage, shape: t.shape, offset: offset))
            offset += t.count
        }
        gradientBuffer = buffer
    }

    /// `buf = μ·buf + g; p −= lr·buf` in one pass per parameter, then clears gradients.
    func sgdStep(lr: Float, mu: Float) {
        for (t, m) in zip(tensors, momentum) {
            guard let g = t.grad else { continue }
            g.withUnsafeBufferPointer { gp in
                m.withUnsafeMutableBufferPointer { mp in
                    t.withUnsafeMutableBufferPointer { pp in
                        for i in 0..<pp.count {
                            let b = mu * mp[i] + gp[i]
                            mp[i] = b
                            pp[i] -= lr * b
                        }
                    }
                }
            }
            t.clearGradient()
        }
    }
}

/// The MLP workload: 784→512→ReLU→256→ReLU→10, cross entropy, SGD momentum.
struct RawMLP {
    let params = RawParameters()
    let w1, b1, w2, b2, w3, b3: Tensor

    init(generator: Generator) {
        w1 = params.make([512, 784], fanIn: 784, generator: generator); b1 = params.make([512], fanIn: 784, generator: generator)
        w2 = params.make([256, 512], fanIn: 512, generator: generator); b2 = params.make([256], fanIn: 512, generator: generator)
        w3 = params.make([10, 256], fanIn: 256, generator: generator); b3 = params.make([10], fanIn: 256, generator: generator)
        params.flattenGradients()
    }

    /// One training step on a batch; returns the loss.
    @discardableResult
    func step(_ x: Tensor, _ y: Tensor) -> Float {
        let h1 = linear(x, weight: w1, bias: b1).relu()
        let h2 = linear(h1, weight: w2, bias: b2).relu()
        let loss = crossEntropy(logits: linear(h2, weight: w3, bias: b3), targets: y)
        loss.backward()
        params.sgdStep(lr: 0.01, mu: 0.9)
        return loss.item()
    }
}

/// The CNN workload: Conv(1,16,3,p1)→ReLU→MaxPool2→Conv(16,32,3,p1)→ReLU→MaxPool2→Flatten→Linear(1568,10).
struct RawCNN {
    let params = RawParameters()
    let c1w, c1b, c2w, c2b, fw, fb: Tensor

    init(generator: Generator) {
        c1w = params.make([16, 1, 3, 3], fanIn: 9, generator: generator); c1b = params.make([16], fanIn: 9, generator: generator)
        c2w = params.make([32, 16, 3, 3], fanIn: 144, generator: generator); c2b = params.make([32], fanIn: 144, generator: generator)
        fw = params.make([10, 1568], fanIn: 1568, generator: generator); fb = params.make([10], fanIn: 1568, generator: generator)
        params.flattenGradients()
    }

    /// One training step on a batch; returns the loss.
    @discardableResult
    func step(_ x: Tensor, _ y: Tensor) -> Float {
        var h = maxPool2d(conv2d(x, weight: c1w, bias: c1b, padding: 1).relu(), kernelSize: 2)
        h = maxPool2d(conv2d(h, weight: c2w, bias: c2b, padding: 1).relu(), kernelSize: 2)
        let loss = crossEntropy(logits: linear(h.flattened(startDim: 1), weight: fw, bias: fb), targets: y)
        loss.backward()
        params.sgdStep(lr: 0.01, mu: 0.9)
        return loss.item()
    }
}
