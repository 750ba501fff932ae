import LightningCUDA
import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Tensors carry a device; moves copy exactly and let gradients flow back. GPU memory comes from
/// the fake driver, whose "device memory" is host memory: the copies are real.
final class DeviceTests: XCTestCase {
    func testDevicesParseAndPrintAsPyTorchsDo() {
        XCTAssertEqual(Device("cpu"), .cpu)
        XCTAssertEqual(Device("cuda"), .cuda(0))
        XCTAssertEqual(Device("CUDA:3"), .cuda(3))
        XCTAssertNil(Device("cuda:-1"))
        XCTAssertNil(Device("gpu"))
        XCTAssertEqual(Device.cuda(1).description, "cuda:1")
        XCTAssertEqual(Device.cpu.description, "cpu")
    }

    func testTensorsAreOnTheCPUAndMovingThereIsFree() {
        let x = Tensor([1, 2, 3])
        XCTAssertEqual(x.device, .cpu)
        XCTAssertEqual(Tensor.zeros([2]).device, .cpu)
        XCTAssertTrue(x.to(.cpu).sharesElements(with: x), "to(_:) of the tensor's own device is the tensor itself")
    }

    func testARoundTripThroughAGPUKeepsEveryBit() {
        FakeCUDADriver.installed(deviceCount: 1) { driver in
            let values: [Float] = [1.5, -0, .infinity, .leastNonzeroMagnitude, 3e38, -7]
            let x = Tensor(values)
            let gpu = x.to(.cuda(0))
            XCTAssertEqual(gpu.device, .cuda(0))
            XCTAssertEqual(gpu.shape, x.shape)
            XCTAssertEqual(driver.allocations, 1)
            let back = gpu.to(.cpu)
            XCTAssertEqual(back.device, .cpu)
            XCTAssertEqual(back.scalars.map(\.bitPattern), values.map(\.bitPattern))
            XCTAssertEqual(gpu.scalars.map(\.bitPattern), values.map(\.bitPattern), "reading a GPU tensor's values copies them to the host")
            let labels = Tensor(labels: [3, 1, 4]).to(.cuda(0))
            XCTAssertEqual(labels.int64Scalars, [3, 1, 4])
            XCTAssertEqual(Tensor(7).to(.cuda(0)).item(), 7)
            XCTAssertEqual(Tensor([1, 2]).to(.cuda(0)).description, "tensor([1.0000, 2.0000], device: cuda:0)")
        }
    }

    func testCreationFunctionsTakeADevice() {
        FakeCUDADriver.installed(deviceCount: 2) { _ in
            let zeros = Tensor.zeros([3, 2], device: .cuda(1))
            XCTAssertEqual(zeros.device, .cuda(1))
            XCTAssertEqual(zeros.scalars, [Float](repeating: 0, count: 6))
            XCTAssertEqual(Tensor.ones([2], dtype: .int64, device: .cuda(0)).int64Scalars, [1, 1])
            XCTAssertEqual(Tensor.full([2], 2.5, device: .cuda(0)).scalars, [2.5, 2.5])
            XCTAssertEqual(Tensor(shape: [2], scalars: [4, 5], device: .cuda(1)).scalars, [4, 5])
            // The generator decides the values: the same seed gives the same numbers on every device.
            let cpu = Tensor.randn([5], generator: Generator(seed: 3)), gpu = Tensor.randn([5], generator: Generator(seed: 3), device: .cuda(0))
            XCTAssertEqual(gpu.device, .cuda(0))
            XCTAssertEqual(gpu.scalars, cpu.scalars)
            XCTAssertEqual(Tensor.rand([4], generator: Generator(seed: 9), device: .cuda(0)).scalars, Tensor.rand([4], generator: Generator(seed: 9)).scalars)
            XCTAssertEqual(Tensor.zeros(like: zeros).device, .cuda(1))
            XCTAssertEqual(zeros.copied().device, .cuda(1))
        }
    }

    func testToLikeFollowsAnotherTensorsDeviceAndDType() {
        FakeCUDADriver.installed(deviceCount: 1) { _ in
            let anchor = Tensor([0.5]).to(.cuda(0))
            let labels = Tensor(labels: [2, 3])
            let moved = labels.to(like: anchor)
            XCTAssertEqual(moved.device, .cuda(0))
            XCTAssertEqual(moved.dtype, .float32)
            XCTAssertEqual(moved.scalars, [2, 3])
            let home = moved.to(like: labels)
            XCTAssertEqual(home.device, .cpu)
            XCTAssertEqual(home.dtype, .int64)
        }
    }

    func testGradientsFlowBackAcrossAMove() {
        FakeCUDADriver.installed(deviceCount: 1) { _ in
            let x = Tensor([1, 2, 3]).requiringGrad()
            let y = x.to(.cuda(0)).to(.cpu) * Tensor([4, 5, 6])
            y.sum().backward()
            XCTAssertEqual(x.grad?.device, .cpu)
            XCTAssertEqual(x.grad?.scalars, [4, 5, 6])
        }
    }

    func testAFreedGPUTensorReturnsItsBlockToTheCache() throws {
        try FakeCUDADriver.installed(deviceCount: 1) { driver in
            let x = Tensor.zeros([256])
            for _ in 0..<5 { _ = x.to(.cuda(0)) }
            XCTAssertEqual(driver.allocations, 1, "each copy reuses the block the previous one freed")
            let statistics = try CUDARuntime.shared.allocator(for: 0).statistics
            XCTAssertEqual(statistics.liveBytes, 0)
            XCTAssertEqual(statistics.reuses, 4)
        }
    }
}
