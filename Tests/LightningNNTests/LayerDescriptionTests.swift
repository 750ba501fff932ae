import XCTest
@testable import LightningNN

/// Layers print exactly as PyTorch prints the same layer (`print(nn.Linear(64, 10))`).
final class LayerDescriptionTests: XCTestCase {
    func testLinearAndConvolutions() {
        XCTAssertEqual(Linear(64, 10).description, "Linear(in_features=64, out_features=10, bias=True)")
        XCTAssertEqual(Linear(3, 1, bias: false).description, "Linear(in_features=3, out_features=1, bias=False)")
        XCTAssertEqual(Conv2d(1, 4, kernelSize: 3, padding: 1).description,
                       "Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))")
        XCTAssertEqual(Conv2d(4, 6, kernelSize: 3).description, "Conv2d(4, 6, kernel_size=(3, 3), stride=(1, 1))")
        XCTAssertEqual(Conv2d(4, 6, kernelSize: (3, 5), stride: (2, 1), dilation: (2, 2), groups: 2, bias: false).description,
                       "Conv2d(4, 6, kernel_size=(3, 5), stride=(2, 1), dilation=(2, 2), groups=2, bias=False)")
        XCTAssertEqual(Conv1d(2, 4, kernelSize: 3).description, "Conv1d(2, 4, kernel_size=(3,), stride=(1,))")
        XCTAssertEqual(Conv1d(2, 4, kernelSize: 3, stride: 2, padding: 1).description,
                       "Conv1d(2, 4, kernel_size=(3,), stride=(2,), padding=(1,))")
    }

    func testPooling() {
        XCTAssertEqual(MaxPool2d(kernelSize: 2).description,
                       "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)")
        XCTAssertEqual(MaxPool2d(kernelSize: 3, stride: 1, padding: 1).description,
                       "MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=1, ceil_mode=False)")
        XCTAssertEqual(MaxPool2d(kernelSize: (2, 2)).description,
                       "MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=0, dilation=1, ceil_mode=False)")
        XCTAssertEqual(AvgPool2d(kernelSize: 2).description, "AvgPool2d(kernel_size=2, stride=2, padding=0)")
        XCTAssertEqual(AvgPool2d(kernelSize: (3, 3), stride: (1, 2), padding: (1, 0)).description,
                       "AvgPool2d(kernel_size=(3, 3), stride=(1, 2), padding=(1, 0))")
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: 1).description, "AdaptiveAvgPool2d(output_size=1)")
        XCTAssertEqual(AdaptiveAvgPool2d(outputSize: (2, 3)).description, "AdaptiveAvgPool2d(output_size=(2, 3))")
    }

    func testNormalizationDropoutEmbeddingFlatten() {
        XCTAssertEqual(BatchNorm2d(4).description,
                       "BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)")
        XCTAssertEqual(BatchNorm1d(8, eps: 1e-3, momentum: nil, affine: false, trackRunningStats: false).description,
                       "BatchNorm1d(8, eps=0.001, momentum=None, affine=False, bias=True, track_running_stats=False)")
        XCTAssertEqual(LayerNorm(64).description, "LayerNorm((64,), eps=1e-05, elementwise_affine=True)")
        XCTAssertEqual(LayerNorm([4, 5], eps: 1e-6, elementwiseAffine: false).description,
                       "LayerNorm((4, 5), eps=1e-06, elementwise_affine=False)")
        XCTAssertEqual(Dropout().description, "Dropout(p=0.5, inplace=False)")
        XCTAssertEqual(Dropout(0.1).description, "Dropout(p=0.1, inplace=False)")
        XCTAssertEqual(Embedding(10, 3).description, "Embedding(10, 3)")
        XCTAssertEqual(Embedding(10, 3, paddingIndex: -1).description, "Embedding(10, 3, padding_idx=9)")
        XCTAssertEqual(Flatten().description, "Flatten(start_dim=1, end_dim=-1)")
        XCTAssertEqual(Identity().description, "Identity()")
    }

    func testActivations() {
        XCTAssertEqual(ReLU().description, "ReLU()")
        XCTAssertEqual(LeakyReLU().description, "LeakyReLU(negative_slope=0.01)")
        XCTAssertEqual(LeakyReLU(negativeSlope: 0.2).description, "LeakyReLU(negative_slope=0.2)")
        XCTAssertEqual(GELU().description, "GELU(approximate='none')")
        XCTAssertEqual(GELU(approximate: .tanh).description, "GELU(approximate='tanh')")
        XCTAssertEqual(SiLU().description, "SiLU()")
        XCTAssertEqual(Tanh().description, "Tanh()")
        XCTAssertEqual(Sigmoid().description, "Sigmoid()")
        XCTAssertEqual(Softplus().description, "Softplus(beta=1.0, threshold=20.0)")
        XCTAssertEqual(ELU().description, "ELU(alpha=1.0)")
    }

    func testSequentialPrintsLikeTorch() {
        let net = Sequential(Linear(21, 16), Tanh(), Linear(16, 16), GELU(), Linear(16, 3))
        XCTAssertEqual(net.description, """
            Sequential(
              (0): Linear(in_features=21, out_features=16, bias=True)
              (1): Tanh()
              (2): Linear(in_features=16, out_features=16, bias=True)
              (3): GELU(approximate='none')
              (4): Linear(in_features=16, out_features=3, bias=True)
            )
            """)
    }
}
