import XCTest
@testable import LightningTensor

/// Central finite differences for ops and options that `ops.json` does not cover.
final class GradientCheckTests: XCTestCase {
    /// Compares the analytic gradient of `Σ f(inputs) ⊙ c` (random cotangent `c`) with central
    /// differences in every float input element.
    func check(_ name: String, _ inputs: [Tensor], eps: Float = 1e-2, rtol: Float = 2e-2, atol: Float = 2e-3,
               file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
        let g = Generator(seed: 99)
        let leaves = inputs.map { $0.dtype == .float32 ? $0.copied().requiringGrad() : $0 }
        let out = f(leaves)
        let cotangent = Tensor.randn(out.shape, generator: g)
        (out * cotangent).sum().backward()
        func loss(_ xs: [Tensor]) -> Double {
            noGrad {
                let y = f(xs), c = cotangent.scalars
                return zip(y.scalars, c).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
        }
        for (i, leaf) in leaves.enumerated() where leaf.dtype == .float32 {
            guard let analytic = leaf.grad?.scalars else { XCTFail("\(name): input \(i) has no gradient", file: file, line: line); continue }
            for j in 0..<leaf.count {
                var plus = leaves.map { $0.detached() }, minus = plus
                let base = leaf.scalars
                var up = base, down = base
                up[j] += eps; down[j] -= eps
                plus[i] = Tensor(shape: leaf.shape, scalars: up)
                minus[i] = Tensor(shape: leaf.shape, scalars: down)
                let numeric = Float((loss(plus) - loss(minus)) / Double(2 * eps))
                if abs(numeric - analytic[j]) > atol + rtol * abs(numeric) {
                    XCTFail("\(name): d/dinput\(i)[\(j)] analytic \(analytic[j]) vs numeric \(numeric)", file: file, line: line)
                    return
                }
            }
        }
    }

    let g = Generator(seed: 5)
    func r(_ shape: [Int]) -> Tensor { Tensor.randn(shape, generator: g) }
    func positive(_ shape: [Int]) -> Tensor { Tensor.rand(shape, low: 0.5, high: 2, generator: g) }

    func testElementwiseAndScalarOps() {
        check("div by broadcast column", [r([3, 4]), positive([3, 1])]) { $0[0] / $0[1] }
        check("scalar ops", [r([5])]) { ($0[0] * 3 - 1) / 2 + 0.5 }
        check("scalar over tensor", [positive([5])]) { 2 / $0[0] }
        check("negative power", [positive([6])]) { $0[0].pow(-1.5) }
        check("one-sided clamp", [r([8])]) { $0[0].clamped(min: 0.1) }
        check("leaky relu slope", [r([8])]) { $0[0].leakyRelu(negativeSlope: 0.2) }
        check("elu alpha", [r([8])]) { $0[0].elu(alpha: 0.5) }
        check("softplus beta", [r([8])]) { $0[0].softplus(beta: 2) }
        check("where", [r([2, 3]), r([3])]) { Tensor.select(Tensor([1, 0, 1]), $0[0], $0[1]) }
        check("expand", [r([3, 1])]) { $0[0].expanded(to: [3, 4]) }
    }

    func testReductions() {
        check("mean over dims", [r([2, 3, 4])]) { $0[0].mean(dims: [0, 2], keepDim: true) }
        check("min", [r([3, 5])]) { $0[0].min(dim: 0) }
        check("unbiased variance", [r([3, 6])]) { $0[0].variance(dim: 1, unbiased: true, keepDim: true) }
        check("logsumexp keepdim", [r([3, 4])]) { $0[0].logsumexp(dim: 0, keepDim: true) }
        check("softmax dim 0", [r([4, 3])]) { $0[0].softmax(dim: 0) }
        check("log softmax middle dim", [r([2, 3, 4])]) { $0[0].logSoftmax(dim: 1) }
        check("sum keepdim last", [r([2, 3])]) { $0[0].sum(dim: -1, keepDim: true) }
    }

    func testShapeOps() {
        check("transpose 3-D", [r([2, 3, 4])]) { $0[0].transposed(0, 2) }
        check("slice with step", [r([7, 2])]) { $0[0].sliced(dim: 0, start: 1, end: 7, step: 2) }
        check("cat dim 0", [r([2, 3]), r([1, 3])]) { Tensor.cat($0, dim: 0) }
        check("stack dim -1", [r([2, 3]), r([2, 3])]) { Tensor.stack($0, dim: -1) }
        check("index select dim 1", [r([3, 4])]) { $0[0].indexSelect(dim: 1, indices: Tensor(labels: [3, 0, 3])) }
        check("squeeze/unsqueeze", [r([3, 1, 2])]) { $0[0].squeezed(dim: 1).unsqueezed(dim: 0) }
    }

    func testMatmulVariants() {
        check("broadcast batch", [r([2, 1, 3, 4]), r([3, 4, 5])]) { $0[0].matmul($0[1]) }
        check("vector × matrix", [r([4]), r([4, 3])]) { $0[0].matmul($0[1]) }
        check("vector · vector", [r([5]), r([5])]) { $0[0].matmul($0[1]) }
        check("linear on 3-D input", [r([2, 3, 4]), r([5, 4]), r([5])]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    }

    func testConvolutionAndPoolingOptions() {
        check("conv2d rectangular stride/padding", [r([2, 2, 6, 5]), r([3, 2, 3, 2]), r([3])]) {
            conv2d($0[0], weight: $0[1], bias: $0[2], stride: (2, 1), padding: (1, 0))
        }
        check("conv2d groups + dilation + stride", [r([1, 4, 9, 9]), r([4, 2, 3, 3])]) {
            conv2d($0[0], weight: $0[1], stride: 2, padding: 2, dilation: 2, groups: 2)
        }
        check("depthwise conv", [r([2, 3, 5, 5]), r([3, 1, 3, 3])]) { conv2d($0[0], weight: $0[1], padding: 1, groups: 3) }
        check("conv1d stride 2", [r([2, 2, 9]), r([3, 2, 3]), r([3])]) { conv1d($0[0], weight: $0[1], bias: $0[2], stride: 2) }
        check("max pool 3×3 stride 1 pad 1", [r([1, 2, 5, 5])]) { maxPool2d($0[0], kernelSize: 3, stride: 1, padding: 1) }
        check("avg pool with padding", [r([1, 2, 5, 5])]) { avgPool2d($0[0], kernelSize: 3, stride: 2, padding: 1) }
        check("adaptive avg pool 2×3", [r([2, 1, 5, 7])]) { adaptiveAvgPool2d($0[0], outputSize: (2, 3)) }
    }

    func testNormalizationVariants() {
        check("batch norm eval mode", [r([4, 3, 2]), r([3]), r([3])]) {
            batchNorm($0[0], runningMean: Tensor([0.1, -0.2, 0.3]), runningVar: Tensor([1.5, 0.5, 2]),
                      weight: $0[1], bias: $0[2], training: false)
        }
        check("batch norm without affine", [r([5, 2])]) {
            batchNorm($0[0], runningMean: nil, runningVar: nil, training: true)
        }
        check("layer norm over two dims", [r([2, 3, 4]), r([3, 4]), r([3, 4])]) {
            layerNorm($0[0], normalizedShape: [3, 4], weight: $0[1], bias: $0[2])
        }
        check("embedding", [r([5, 3])]) {
            embedding(Tensor(shape: [2, 2], int64Scalars: [1, 0, 4, 1]), weight: $0[0])
        }
        // The padding row is looked up but, as in PyTorch, never receives a gradient.
        let w = r([5, 3]).requiringGrad()
        embedding(Tensor(shape: [2, 2], int64Scalars: [1, 0, 4, 1]), weight: w, paddingIndex: 0).sum().backward()
        XCTAssertEqual(Array(w.grad!.scalars[0..<6]), [0, 0, 0, 2, 2, 2])
    }

    func testLossOptions() {
        let targets = Tensor(labels: [2, 0, 1, 2])
        let weight = Tensor([0.5, 2, 1])
        check("cross entropy with class weights", [r([4, 3])]) { crossEntropy(logits: $0[0], targets: targets, weight: weight) }
        check("cross entropy weights + smoothing + ignore", [r([4, 3])]) {
            crossEntropy(logits: $0[0], targets: Tensor(labels: [2, -1, 1, 0]), weight: weight, ignoreIndex: -1, labelSmoothing: 0.2)
        }
        check("cross entropy per sample", [r([4, 3])]) { crossEntropy(logits: $0[0], targets: targets, reduction: .none) }
        check("nll with weights", [r([4, 3])]) { nllLoss(logProbs: $0[0].logSoftmax(dim: 1), targets: targets, weight: weight) }
        check("mse sum", [r([3, 2]), r([3, 2])]) { mseLoss($0[0], $0[1], reduction: .sum) }
        check("l1 none", [r([5]), r([5])]) { l1Loss($0[0], $0[1], reduction: .none) }
        check("smooth l1 beta 0.5", [r([6]), r([6])]) { smoothL1Loss($0[0], $0[1], beta: 0.5) }
        check("bce with weight", [Tensor.rand([5], low: 0.1, high: 0.9, generator: g), Tensor.rand([5], generator: g)], eps: 1e-3) {
            binaryCrossEntropy($0[0], $0[1], weight: Tensor([1, 2, 3, 4, 5]))
        }
        check("bce with logits, sum", [r([5]), Tensor.rand([5], generator: g)]) {
            binaryCrossEntropyWithLogits($0[0], $0[1], reduction: .sum)
        }
    }

    func testDropoutScalesKeptElementsAndMasksGradient() {
        let x = Tensor.ones([10_000]).requiringGrad()
        let y = dropout(x, p: 0.3, generator: Generator(seed: 1))
        let values = y.scalars
        let kept = values.filter { $0 != 0 }
        XCTAssertEqual(Double(kept.count) / 10_000, 0.7, accuracy: 0.02)
        XCTAssertTrue(kept.allSatisfy { abs($0 - 1 / 0.7) < 1e-5 })
        y.sum().backward()
        XCTAssertEqual(x.grad!.scalars, values)
        XCTAssertEqual(dropout(x, p: 0.3, training: false).scalars, x.scalars)
        XCTAssertEqual(dropout(x, p: 0.3, generator: Generator(seed: 1)).scalars, values, "same seed, same mask")
    }

    func testBatchNormUpdatesRunningStatistics() {
        let x = Tensor(shape: [4, 2], scalars: [1, 10, 2, 20, 3, 30, 4, 40])
        let mean = Tensor.zeros([2]), variance = Tensor.ones([2])
        _ = batchNorm(x, runningMean: mean, runningVar: variance, training: true, momentum: 0.1)
        // batch means 2.5 and 25; unbiased variances 5/3 and 500/3.
        XCTAssertEqual(mean.scalars[0], 0.25, accuracy: 1e-6)
        XCTAssertEqual(mean.scalars[1], 2.5, accuracy: 1e-5)
        XCTAssertEqual(variance.scalars[0], 0.9 + 0.1 * 5 / 3, accuracy: 1e-5)
        XCTAssertEqual(variance.scalars[1], 0.9 + 0.1 * 500 / 3, accuracy: 1e-3)
    }
}
