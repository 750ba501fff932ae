import LightningCUDA
import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Layer normalization on the emulated GPU agrees with the CPU's within float32 rounding,
/// outputs and the gradients of input, weight and bias, over one or several trailing dimensions.
final class CUDANormalizationTests: XCTestCase {
    func testLayerNormMatchesTheCPU() throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        let g = Generator(seed: 9)
        let x = Tensor.randn([4, 3, 5], generator: g) * 3 + 1
        try FakeCUDADriver.emulating { _ in
            for normalized in [[5], [3, 5]] {
                let w = Tensor.randn(normalized, generator: g), b = Tensor.randn(normalized, generator: g)
                let cotangent = Tensor.randn(x.shape, generator: g)
                let cpu = [x, w, b].map { $0.requiringGrad() }
                let gpu = [x, w, b].map { $0.to(.cuda(0)).requiringGrad() }
                let yc = layerNorm(cpu[0], normalizedShape: normalized, weight: cpu[1], bias: cpu[2])
                let yg = layerNorm(gpu[0], normalizedShape: normalized, weight: gpu[1], bias: gpu[2])
                XCTAssertEqual(yg.device, .cuda(0))
                (yc * cotangent).sum().backward()
                (yg * cotangent.to(.cuda(0))).sum().backward()
                assertClose(yg.to(.cpu), yc, "output over \(normalized)")
                for (name, c, d) in zip3(["input", "weight", "bias"], cpu, gpu) {
                    assertClose(d.grad!.to(.cpu), c.grad!, "\(name) gradient over \(normalized)")
                }
            }
        }
    }

    private func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
        zip(a, zip(b, c)).map { ($0, $1.0, $1.1) }
    }

    private func assertClose(_ actual: Tensor, _ expected: Tensor, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, message, file: file, line: line)
        for (a, e) in zip(actual.scalars, expected.scalars) where abs(a - e) > 1e-5 + 1e-4 * abs(e) {
            XCTFail("\(message): \(a) against \(e)", file: file, line: line)
            return
        }
    }
}
