import LightningCUDA
import LightningTestSupport
import XCTest
@testable import LightningTensor

/// `ops.json` on a GPU whose kernels run on the host (the CUDA C compiled by `clang++`, cuBLAS's
/// products by OpenBLAS): the ops that dispatch to CUDA kernels give PyTorch's outputs and
/// gradients within the CPU's tolerances.
final class CUDAOpsParityTests: XCTestCase {
    /// The `ops.json` ops that run on a GPU, forward and backward.
    static let gpuOps: Set<String> = [
        "add", "sub", "mul", "div", "matmul", "neg", "exp", "log", "sqrt", "pow", "abs", "tanh", "sigmoid", "relu", "leaky_relu",
        "gelu", "silu", "softplus", "elu", "clamp", "sum", "mean", "softmax", "log_softmax", "reshape", "flatten", "linear",
        "cross_entropy", "nll_loss", "conv2d", "max_pool2d", "avg_pool2d", "max", "var", "logsumexp", "transpose", "permute",
        "mse_loss", "l1_loss", "smooth_l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
        "cat", "stack", "slice", "index_select", "embedding", "layer_norm",
    ]

    /// Cases of those ops whose arguments have no CUDA kernel yet (they stop, naming the op).
    static let cpuOnlyCases: Set<String> = ["conv2d_groups"]

    func testEveryGPUOpMatchesPyTorch() throws {
        let cases = try OpCase.loadAll().filter { Self.gpuOps.contains($0.op) && !Self.cpuOnlyCases.contains($0.name) }
        XCTAssertEqual(Set(cases.map(\.op)), Self.gpuOps, "every listed op has a reference case")
        try emulated { _ in
            for c in cases {
                let output = c.apply(c.inputs.map { $0.to(.cuda(0)) })
                XCTAssertEqual(output?.device, .cuda(0), "\(c.name) runs on the GPU")
                XCTAssertNil(c.mismatch(on: .cuda(0)), c.name)
            }
        }
    }

    /// Runs `body` over the emulated GPU, or skips without `clang++`.
    func emulated(_ body: (FakeCUDADriver) throws -> Void) throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        try FakeCUDADriver.emulating(deviceCount: 1, body)
    }
}

/// GPU kernels that must give the CPU's exact bits: dropout's mask from the same Philox stream.
final class CUDAExactnessTests: XCTestCase {
    func testDropoutDropsTheCPUsElementsFromTheSameSeed() throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        let x = Tensor.randn([3, 1001], generator: Generator(seed: 1))
        let cpuGenerator = Generator(seed: 42), gpuGenerator = Generator(seed: 42)
        // A draw first, so the GPU's stream starts mid-block as the CPU's does.
        _ = Tensor.rand([3], generator: cpuGenerator)
        _ = Tensor.rand([3], generator: gpuGenerator)
        let cpu = dropout(x, p: 0.3, generator: cpuGenerator)
        try FakeCUDADriver.emulating { _ in
            let gpu = dropout(x.to(.cuda(0)), p: 0.3, generator: gpuGenerator)
            XCTAssertEqual(gpu.scalars.map(\.bitPattern), cpu.scalars.map(\.bitPattern))
            XCTAssertEqual(gpuGenerator.position, cpuGenerator.position, "the stream advances past the same words")
            XCTAssertEqual(Tensor.rand([5], generator: gpuGenerator).scalars, Tensor.rand([5], generator: cpuGenerator).scalars)
        }
    }
}
