import LightningTestSupport
import XCTest
@testable import LightningNN
@testable import LightningOptim

/// The optimizers' fused GPU steps give the CPU's bits (the kernels run on the host through the
/// emulated GPU: the same float32 operations in the same order), and clipping matches.
final class CUDAOptimizerTests: XCTestCase {
    /// Three steps of `make` over the same parameters and gradients on the CPU and on the GPU.
    private func assertSameSteps(_ name: String, _ make: ([Parameter]) -> any Optimizer) throws {
        let values = Tensor.randn([257], generator: Generator(seed: 7))
        let gradients = (0..<3).map { Tensor.randn([257], generator: Generator(seed: UInt64(10 + $0))) }
        let cpu = Parameter(values.copied()), gpu = Parameter(values.copied())
        let cpuOptimizer = make([cpu])
        try FakeCUDADriver.emulating { _ in
            gpu.move(to: .cuda(0))
            let gpuOptimizer = make([gpu])
            for g in gradients {
                cpu.grad = g
                cpuOptimizer.step()
                gpu.grad = g.to(.cuda(0))
                gpuOptimizer.step()
                XCTAssertEqual(gpu.value.device, .cuda(0))
                XCTAssertEqual(gpu.value.scalars.map(\.bitPattern), cpu.value.scalars.map(\.bitPattern), name)
            }
        }
    }

    func testSGDVariants() throws {
        try assertSameSteps("sgd") { SGD($0, lr: 0.1) }
        try assertSameSteps("sgd momentum wd") { SGD($0, lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-2) }
        try assertSameSteps("sgd nesterov maximize") { SGD($0, lr: 0.05, momentum: 0.9, nesterov: true, maximize: true) }
    }

    func testAdamAndAdamWVariants() throws {
        try assertSameSteps("adam") { Adam($0, lr: 1e-3) }
        try assertSameSteps("adam l2 amsgrad") { Adam($0, lr: 1e-2, betas: (0.3, 0.99), weightDecay: 0.1, amsgrad: true) }
        try assertSameSteps("adamw") { AdamW($0, lr: 1e-2, weightDecay: 0.05) }
    }

    func testGradientClippingMatchesTheCPU() throws {
        let gradients = (0..<3).map { Tensor.randn([100], std: 3, generator: Generator(seed: UInt64($0))) }
        let cpu = gradients.map { g -> Parameter in let p = Parameter(Tensor.zeros([100])); p.grad = g.copied(); return p }
        let cpuNorm = clipGradNorm(cpu, maxNorm: 1)
        try FakeCUDADriver.emulating { _ in
            let gpu = gradients.map { g -> Parameter in
                let p = Parameter(Tensor.zeros([100]))
                p.move(to: .cuda(0))
                p.grad = g.to(.cuda(0))
                return p
            }
            let gpuNorm = clipGradNorm(gpu, maxNorm: 1)
            XCTAssertEqual(gpuNorm, cpuNorm, accuracy: cpuNorm * 1e-6)
            for (a, b) in zip(gpu, cpu) { assertClose(a.grad!.to(.cpu), b.grad!, rtol: 1e-6, atol: 1e-7, "clipped by norm") }
            clipGradValue(gpu, clipValue: 0.01)
            clipGradValue(cpu, clipValue: 0.01)
            for (a, b) in zip(gpu, cpu) { XCTAssertEqual(a.grad!.scalars, b.grad!.scalars, "clipped by value") }
        }
    }
}
