import XCTest
@testable import LightningNN

/// Output shapes and state-dict names and shapes of every layer, matching PyTorch's.
final class LayerShapeTests: XCTestCase {
    func testLinearOnAnyLeadingDimensions() {
        let layer = Linear(5, 3)
        XCTAssertEqual(stateLayout(layer), ["weight [3, 5]", "bias [3]"])
        XCTAssertEqual(layer(sampleInput([4, 5])).shape, [4, 3])
        XCTAssertEqual(layer(sampleInput([2, 7, 5])).shape, [2, 7, 3])
        XCTAssertEqual(layer(sampleInput([5])).shape, [3])
        XCTAssertEqual(stateLayout(Linear(5, 3, bias: false)), ["weight [3, 5]"])
        XCTAssertNil(Linear(5, 3, bias: false).bias)
    }

    func testConv2dShapes() {
        let conv = Conv2d(4, 6, kernelSize: 3)
        XCTAssertEqual(stateLayout(conv), ["weight [6, 4, 3, 3]", "bias [6]"])
        XCTAssertEqual(conv(sampleInput([2, 4, 8, 8])).shape, [2, 6, 6, 6])
        XCTAssertEqual(conv(sampleInput([4, 8, 8])).shape, [6, 6, 6], "unbatched input")
        XCTAssertEqual(Conv2d(4, 6, kernelSize: 3, stride: 2, padding: 1)(sampleInput([2, 4, 8, 8])).shape, [2, 6, 4, 4])
        XCTAssertEqual(Conv2d(4, 6, kernelSize: 3, dilation: 2)(sampleInput([1, 4, 8, 8])).shape, [1, 6, 4, 4])
        let grouped = Conv2d(4, 6, kernelSize: 3, groups: 2, bias: false)
        XCTAssertEqual(stateLayout(grouped), ["weight [6, 2, 3, 3]"])
        XCTAssertEqual(grouped(sampleInput([1, 4, 5, 5])).shape, [1, 6, 3, 3])
        let rectangular = Conv2d(4, 6, kernelSize: (3, 5), padding: (1, 2))
        XCTAssertEqual(stateLayout(rectangular), ["weight [6, 4, 3, 5]", "bias [6]"])
        XCTAssertEqual(rectangular(sampleInput([2, 4, 7, 9])).shape, [2, 6, 7, 9])
    }

    func testConv1dShapes() {
        let conv = Conv1d(3, 5, kernelSize: 3)
        XCTAssertEqual(stateLayout(conv), ["weight [5, 3, 3]", "bias [5]"])
        XCTAssertEqual(conv(sampleInput([2, 3, 10])).shape, [2, 5, 8])
        XCTAssertEqual(conv(sampleInput([3, 10])).shape, [5, 8], "unbatched input")
        XCTAssertEqual(Conv1d(3, 5, kernelSize: 3, padding: 1)(sampleInput([2, 3, 10])).shape, [2, 5, 10])
        XCTAssertEqual(Conv1d(3, 5, kernelSize: 3, stride: 2)(sampleInput([2, 3, 10])).shape, [2, 5, 4])
        XCTAssertEqual(stateLayout(Conv1d(4, 2, kernelSize: 2, groups: 2, bias: false)), ["weight [2, 2, 2]"])
    }

    func testPoolingShapes() {
        let x = sampleInput([2, 3, 8, 8])
        XCTAssertEqual(MaxPool2d(kernelSize: 2)(x).shape, [2, 3, 4, 4])
        XCTAssertEqual(MaxPool2d(kernelSize: 2, stride: 1)(x).shape, [2, 3, 7, 7])
        XCTAssertEqual(MaxPool2d(kernelSize: 3, stride: 2, padding: 1)(x).shape, [2, 3, 4, 4])
        XCTAssertEqual(MaxPool2d(kernelSize: (2, 1))(x).shape, [2, 3, 4, 8])
        XCTAssertEqual(MaxPool2d(kernelSize: 2)(sampleInput([3, 8, 8])).shape, [3, 4, 4], "unbatched input")
        XCTAssertEqual(AvgPool2d(kernelSize: 2)(x).shape, [2, 3, 4, 4])
        XCTAssertEqual(AvgPool2d(kernelSize: (4, 2), stride: (2, 2))(x).shape, [2, 3, 3, 4])
        XCTAssertEqual(AvgPool2d(kernelSize: 2)(sampleInput([3, 8, 8])).shape, [3, 4, 4], "unbatched input")
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: 1)(x).shape, [2, 3, 1, 1])
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: (2, 3))(sampleInput([2, 3, 7, 7])).shape, [2, 3, 2, 3])
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: 2)(sampleInput([3, 5, 5])).shape, [3, 2, 2], "unbatched input")
        for pool in [MaxPool2d(kernelSize: 2), AvgPool2d(kernelSize: 2), AdaptiveAvgPool2d(outputSize: 1)] as [Module] {
            XCTAssertEqual(stateLayout(pool), [], "\(pool) has no state")
        }
    }

    func testBatchNormStateNamesAndShapes() {
        let bn = BatchNorm1d(4)
        XCTAssertEqual(stateLayout(bn), ["weight [4]", "bias [4]", "running_mean [4]", "running_var [4]", "num_batches_tracked []"])
        XCTAssertEqual(bn.stateDict()["num_batches_tracked"]?.dtype, .int64)
        XCTAssertEqual(bn.stateDict()["running_mean"]?.dtype, .float32)
        XCTAssertEqual(names(bn.namedParameters()), ["weight", "bias"])
        XCTAssertEqual(names(bn.namedBuffers()), ["running_mean", "running_var", "num_batches_tracked"])
        XCTAssertEqual(bn(sampleInput([8, 4])).shape, [8, 4])
        XCTAssertEqual(bn(sampleInput([8, 4, 5])).shape, [8, 4, 5])
        XCTAssertEqual(stateLayout(BatchNorm1d(4, affine: false)), ["running_mean [4]", "running_var [4]", "num_batches_tracked []"])
        XCTAssertEqual(stateLayout(BatchNorm1d(4, trackRunningStats: false)), ["weight [4]", "bias [4]"])
        XCTAssertEqual(stateLayout(BatchNorm1d(4, bias: false, trackRunningStats: false)), ["weight [4]"])
        let bn2 = BatchNorm2d(3)
        XCTAssertEqual(stateLayout(bn2), ["weight [3]", "bias [3]", "running_mean [3]", "running_var [3]", "num_batches_tracked []"])
        XCTAssertEqual(bn2(sampleInput([2, 3, 4, 5])).shape, [2, 3, 4, 5])
    }

    func testLayerNormShapes() {
        let norm = LayerNorm(6)
        XCTAssertEqual(stateLayout(norm), ["weight [6]", "bias [6]"])
        XCTAssertEqual(norm(sampleInput([2, 5, 6])).shape, [2, 5, 6])
        let wide = LayerNorm([5, 6])
        XCTAssertEqual(stateLayout(wide), ["weight [5, 6]", "bias [5, 6]"])
        XCTAssertEqual(wide(sampleInput([3, 5, 6])).shape, [3, 5, 6])
        XCTAssertEqual(stateLayout(LayerNorm(6, elementwiseAffine: false)), [])
        XCTAssertEqual(stateLayout(LayerNorm(6, bias: false)), ["weight [6]"])
    }

    func testEmbeddingOnAnyIndexShape() {
        let table = Embedding(10, 3)
        XCTAssertEqual(stateLayout(table), ["weight [10, 3]"])
        let indices = Tensor(shape: [2, 4], int64Scalars: [0, 1, 2, 3, 9, 8, 7, 6])
        XCTAssertEqual(table(indices).shape, [2, 4, 3])
        XCTAssertEqual(table(Tensor(labels: [4])).shape, [1, 3])
        let rows = table(Tensor(labels: [2, 2])).scalars
        let weight = table.weight.value.scalars
        XCTAssertEqual(Array(rows[0..<3]), Array(weight[6..<9]))
        XCTAssertEqual(Array(rows[3..<6]), Array(weight[6..<9]))
    }

    func testFlattenDropoutIdentityAndActivationsKeepOrMergeShape() {
        let x = sampleInput([2, 3, 4, 5])
        XCTAssertEqual(Flatten()(x).shape, [2, 60])
        XCTAssertEqual(Flatten(startDim: 0)(x).shape, [120])
        XCTAssertEqual(Flatten(startDim: 1, endDim: 2)(x).shape, [2, 12, 5])
        XCTAssertEqual(Flatten(startDim: -2)(x).shape, [2, 3, 20])
        let shapeKeeping: [Module] = [Dropout(), Identity(), ReLU(), LeakyReLU(), GELU(), GELU(approximate: .tanh),
                                      SiLU(), Tanh(), Sigmoid(), Softplus(), ELU()]
        for layer in shapeKeeping {
            XCTAssertEqual(layer(x).shape, x.shape, "\(layer)")
            XCTAssertEqual(stateLayout(layer), [], "\(layer) has no state")
        }
        XCTAssertEqual(stateLayout(Flatten()), [])
    }

    func testSequentialOfLayersUsesPyTorchKeys() {
        let net = Sequential {
            Conv2d(1, 4, kernelSize: 3, padding: 1)
            BatchNorm2d(4)
            ReLU()
            AvgPool2d(kernelSize: 2)
            Flatten()
            Linear(64, 4)
        }
        XCTAssertEqual(stateLayout(net), [
            "0.weight [4, 1, 3, 3]", "0.bias [4]",
            "1.weight [4]", "1.bias [4]", "1.running_mean [4]", "1.running_var [4]", "1.num_batches_tracked []",
            "5.weight [4, 64]", "5.bias [4]",
        ])
        XCTAssertEqual(net(sampleInput([3, 1, 8, 8])).shape, [3, 4])
        XCTAssertEqual(names(net.namedParameters()), ["0.weight", "0.bias", "1.weight", "1.bias", "5.weight", "5.bias"])
    }
}
