import LightningCUDA
import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Joining and slicing on the emulated GPU give the CPU's bits, forward and backward, for
/// float32 and int64, any dimension and any step.
final class CUDAIndexingTests: XCTestCase {
    func testCatAndSliceMatchTheCPUForEveryDimensionAndStep() throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        let g = Generator(seed: 3)
        let a = Tensor.randn([2, 3, 4], generator: g), b = Tensor.randn([2, 5, 4], generator: g)
        let ia = Tensor.randint(0, 100, [2, 3], generator: g), ib = Tensor.randint(0, 100, [2, 2], generator: g)
        try FakeCUDADriver.emulating { _ in
            for dim in [1, -2] {
                let gpu = Tensor.cat([a.to(.cuda(0)), b.to(.cuda(0))], dim: dim)
                XCTAssertEqual(gpu.device, .cuda(0))
                XCTAssertEqual(gpu.to(.cpu).scalars, Tensor.cat([a, b], dim: dim).scalars)
            }
            let ints = Tensor.cat([ia.to(.cuda(0)), ib.to(.cuda(0))], dim: 1)
            XCTAssertEqual(ints.dtype, .int64)
            XCTAssertEqual(ints.to(.cpu).int64Scalars, Tensor.cat([ia, ib], dim: 1).int64Scalars)
            XCTAssertEqual(Tensor.stack([a.to(.cuda(0)), a.to(.cuda(0))], dim: 2).to(.cpu).scalars, Tensor.stack([a, a], dim: 2).scalars)

            for (dim, start, end, step) in [(0, 1, 2, 1), (1, 0, 5, 2), (2, -3, nil, 2), (1, 1, 3, 1)] as [(Int, Int, Int?, Int)] {
                let x = b.requiringGrad(), xg = b.to(.cuda(0)).requiringGrad()
                let cpu = x.sliced(dim: dim, start: start, end: end, step: step)
                let gpu = xg.sliced(dim: dim, start: start, end: end, step: step)
                XCTAssertEqual(gpu.shape, cpu.shape)
                XCTAssertEqual(gpu.to(.cpu).scalars, cpu.scalars, "slice dim \(dim) from \(start) step \(step)")
                let weights = Tensor.randn(cpu.shape, generator: g)
                (cpu * weights).sum().backward()
                (gpu * weights.to(.cuda(0))).sum().backward()
                XCTAssertEqual(xg.grad?.to(.cpu).scalars, x.grad?.scalars, "slice gradient dim \(dim) from \(start) step \(step)")
            }
        }
    }

    func testIndexSelectAndEmbeddingMatchTheCPUWithRepeatsAndPadding() throws {
        guard HostKernelExecutor.compilerAvailable else { throw XCTSkip("no clang++ on PATH to run the CUDA kernels on the host") }
        let g = Generator(seed: 5)
        let x = Tensor.randn([3, 6, 2], generator: g)
        // Repeats, so gradients add up in a row; the order of the sum is the CPU's.
        let indices = Tensor(int64: [4, 0, 4, 5, 4, 1])
        let table = Tensor.randn([7, 3], generator: g)
        let tokens = Tensor(shape: [2, 3], int64Scalars: [2, 6, 2, 0, 6, 3])
        try FakeCUDADriver.emulating { _ in
            for dim in [0, 1, 2] {
                let n = x.shape[dim]
                let picks = Tensor(int64: indices.int64Scalars.map { $0 % Int64(n) })
                let cpuX = x.requiringGrad(), gpuX = x.to(.cuda(0)).requiringGrad()
                let cpu = cpuX.indexSelect(dim: dim, indices: picks)
                let gpu = gpuX.indexSelect(dim: dim, indices: picks.to(.cuda(0)))
                XCTAssertEqual(gpu.device, .cuda(0))
                XCTAssertEqual(gpu.to(.cpu).scalars, cpu.scalars, "index_select dim \(dim)")
                let w = Tensor.randn(cpu.shape, generator: g)
                (cpu * w).sum().backward()
                (gpu * w.to(.cuda(0))).sum().backward()
                XCTAssertEqual(gpuX.grad?.to(.cpu).scalars.map(\.bitPattern), cpuX.grad?.scalars.map(\.bitPattern), "index_select gradient dim \(dim)")
            }
            for pad in [nil, 6, -1] as [Int?] {
                let cpuW = table.requiringGrad(), gpuW = table.to(.cuda(0)).requiringGrad()
                let cpu = embedding(tokens, weight: cpuW, paddingIndex: pad)
                let gpu = embedding(tokens.to(.cuda(0)), weight: gpuW, paddingIndex: pad)
                XCTAssertEqual(gpu.shape, [2, 3, 3])
                XCTAssertEqual(gpu.to(.cpu).scalars, cpu.scalars)
                let w = Tensor.randn(cpu.shape, generator: g)
                (cpu * w).sum().backward()
                (gpu * w.to(.cuda(0))).sum().backward()
                XCTAssertEqual(gpuW.grad?.to(.cpu).scalars.map(\.bitPattern), cpuW.grad?.scalars.map(\.bitPattern), "embedding gradient, padding \(String(describing: pad))")
            }
        }
    }
}
