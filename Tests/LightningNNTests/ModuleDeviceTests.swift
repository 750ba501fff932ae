import LightningTestSupport
import XCTest
@testable import LightningNN

/// `Module.to(_:)` moves parameters, gradients and buffers in place (over the fake driver, whose
/// device memory is host memory, so the moved values are checked).
final class ModuleDeviceTests: XCTestCase {
    final class Net: Module {
        let fc = Linear(3, 2)
        let norm = BatchNorm1d(2)
        override func forward(_ x: Tensor) -> Tensor { norm(fc(x)) }
    }

    func testParametersAndBuffersMoveInPlaceWithTheirValues() {
        FakeCUDADriver.installed(deviceCount: 1) { _ in
            let net = Net()
            XCTAssertEqual(net.device, .cpu)
            let before = net.stateDict().mapValues(\.scalars)
            let parameters = net.parameters()
            net.to(.cuda(0))
            XCTAssertEqual(net.device, .cuda(0))
            XCTAssertTrue(zip(parameters, net.parameters()).allSatisfy { $0 === $1 }, "the same Parameter objects: optimizers stay attached")
            XCTAssertTrue(net.parameters().allSatisfy { $0.value.device == .cuda(0) && $0.requiresGrad })
            XCTAssertTrue(net.buffers().allSatisfy { $0.value.device == .cuda(0) })
            XCTAssertEqual(net.stateDict().mapValues(\.scalars), before)
            net.to(.cpu)
            XCTAssertTrue(net.parameters().allSatisfy { $0.value.device == .cpu })
            XCTAssertEqual(net.stateDict().mapValues(\.scalars), before)
        }
    }

    func testTheFlatGradientBufferIsMadeAgainOnTheNewDevice() {
        FakeCUDADriver.installed(deviceCount: 1) { _ in
            let net = Net()
            net.flattenGradients()
            let weight = net.fc.weight
            weight.grad = Tensor.full(weight.shape, 0.25)
            net.to(.cuda(0))
            let buffer = net.gradientBuffer
            XCTAssertEqual(buffer?.device, .cuda(0))
            XCTAssertEqual(buffer?.count, net.parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.count })
            XCTAssertEqual(weight.gradientSlot?.storage === buffer?.storage, true, "gradients are views into the new buffer")
            XCTAssertEqual(weight.grad?.device, .cuda(0))
            XCTAssertEqual(weight.grad?.scalars, [Float](repeating: 0.25, count: weight.count), "the gradient moved with its parameter")
        }
    }
}
