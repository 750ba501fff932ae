import Foundation
import LightningTestSupport
import XCTest
@testable import LightningNN

/// `head(norm(encoder(x)))`, mirrored by `PYTHON_MODEL` below with the same state-dict keys.
final class InteropModel: Module {
    let encoder = Affine(2)
    let norm = Normalizer()
    let head = Sequential(Affine(2, bias: false), Affine(2))
    override func forward(_ input: Tensor) -> Tensor { head(norm(encoder(input))) }
}

/// A module saved here loads into the same PyTorch architecture with `load_state_dict(strict=True)`
/// and computes the same outputs, and the reverse; skipped (printing why) without `torch`.
final class ModulePythonInteropTests: XCTestCase {
    private static let pythonModel = """
        import json, sys, torch
        from torch import nn
        from safetensors.torch import load_file, save_file

        class Affine(nn.Module):
            def __init__(self, n, bias=True):
                super().__init__()
                self.weight = nn.Parameter(torch.randn(n))
                self.bias = nn.Parameter(torch.randn(n)) if bias else None
            def forward(self, x):
                y = x * self.weight
                return y + self.bias if self.bias is not None else y

        class Normalizer(nn.Module):
            def __init__(self):
                super().__init__()
                self.weight = nn.Parameter(torch.randn(2))
                self.register_buffer("running_mean", torch.randn(2))
                self.register_buffer("num_batches_tracked", torch.tensor(3, dtype=torch.int64))
                self.register_buffer("scratch", torch.zeros(3), persistent=False)
            def forward(self, x):
                return x * self.weight

        class InteropModel(nn.Module):
            def __init__(self):
                super().__init__()
                self.encoder = Affine(2)
                self.norm = Normalizer()
                self.head = nn.Sequential(Affine(2, bias=False), Affine(2))
            def forward(self, x):
                return self.head(self.norm(self.encoder(x)))

        torch.manual_seed(0)
        model = InteropModel()
        x = torch.tensor([[0.5, -1.0], [2.0, 3.0]])
        mode, path = sys.argv[1], sys.argv[2]
        if mode == "load":
            model.load_state_dict(load_file(path), strict=True)
        else:
            save_file(model.state_dict(), path)
        out = {
            "output": model(x).detach().flatten().tolist(),
            "num_batches_tracked": int(model.norm.num_batches_tracked),
            "running_mean": model.norm.running_mean.tolist(),
        }
        print(json.dumps(out))
        """

    /// What the Python script prints after loading or saving.
    private struct PythonResult: Decodable {
        let output: [Double]
        let numBatchesTracked: Int
        let runningMean: [Double]

        enum CodingKeys: String, CodingKey {
            case output
            case numBatchesTracked = "num_batches_tracked", runningMean = "running_mean"
        }
    }

    private func runPythonModel(_ mode: String, _ path: String) throws -> PythonResult {
        try skipUnlessPython(modules: ["safetensors", "torch"])
        let result = try runPython(Self.pythonModel, [mode, path])
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode(PythonResult.self, from: Data(result.stdout.utf8))
    }

    private lazy var directory = makeTemporaryDirectory(prefix: "nn-interop")
    private var modelPath: String { directory.file("model.safetensors") }

    private let input = Tensor([[0.5, -1.0], [2.0, 3.0]])

    func testPyTorchLoadsOurModuleStrictlyAndComputesTheSameOutput() throws {
        let model = InteropModel()
        // Distinct values everywhere, so a key mix-up changes the output.
        for (i, p) in model.parameters().enumerated() {
            p.value.withUnsafeMutableBufferPointer { for j in 0..<$0.count { $0[j] = Float(i) * 0.25 - Float(j) * 0.5 + 0.125 } }
        }
        model.norm.runningMean.value.withUnsafeMutableBufferPointer { $0[0] = 0.75; $0[1] = -0.25 }
        model.norm.numBatchesTracked.value.withUnsafeMutableInt64BufferPointer { $0[0] = 11 }
        let path = modelPath
        try model.save(to: path)

        let result = try runPythonModel("load", path)
        XCTAssertEqual(result.numBatchesTracked, 11)
        XCTAssertEqual(result.runningMean, [0.75, -0.25])
        let expected = model(input).scalars
        let output = result.output.map { Float($0) }
        XCTAssertEqual(output.count, expected.count)
        for (a, b) in zip(output, expected) { XCTAssertEqual(a, b, accuracy: 1e-6 * max(1, abs(b))) }
    }

    func testOurModuleLoadsAPyTorchStateDictStrictlyAndComputesTheSameOutput() throws {
        let path = modelPath
        let result = try runPythonModel("save", path)
        let model = InteropModel()
        try model.load(from: path, strict: true)
        XCTAssertEqual(model.norm.numBatchesTracked.value.int64Scalars, [3])
        let output = result.output.map { Float($0) }
        let mine = model(input).scalars
        XCTAssertEqual(output.count, mine.count)
        for (a, b) in zip(output, mine) { XCTAssertEqual(a, b, accuracy: 1e-6 * max(1, abs(a))) }
    }
}
