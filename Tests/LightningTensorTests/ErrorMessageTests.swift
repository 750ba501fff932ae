import Foundation
import LightningCUDA
import LightningTestSupport
import XCTest
@testable import LightningTensor

/// Misuse stops the process with a message naming the op and shapes. Each scenario runs in a
/// child process (this test binary re-run on `FailureProbe/testProbe`), whose stderr and exit
/// status the parent checks.
final class ErrorMessageTests: XCTestCase {
    /// Scenario name → the message fragments its failure must print.
    static let scenarios: [String: [String]] = [
        "matmul": ["matmul: [3, 4] × [5, 6] — inner dimensions differ"],
        "broadcast": ["add: shapes [2, 3] and [4] cannot be broadcast"],
        "dtype": ["relu: expected a float32 tensor, got int64"],
        "index": ["index_select: index 7 is out of range for dimension 0 of size 3"],
        "dim": ["softmax: dimension 2 is out of range for a tensor of shape [2, 3]"],
        "reshape": ["reshape: shape [4, 4] is invalid for input of size 6"],
        "target": ["cross_entropy: target 5 at position 1 is out of range for 3 classes"],
        "conv": ["conv2d: input [1, 3, 8, 8] with 1 groups needs weight [O, 3, kh, kw]"],
        "embedding": ["embedding: index 9 is out of range for a vocabulary of 4"],
        "backwardTwice": ["backward: the graph behind this tensor was already freed"],
        "nonScalarBackward": ["backward: grad can be implicitly created only for scalar outputs, got shape [2]"],
        "item": ["item: a tensor with 3 elements (shape [3]) cannot be converted to a scalar"],
        "anomaly": ["backward: anomaly detected: the derivative of 'log' (inputs [2]) returned inf in the gradient of input 0 at element 0"],
        "floatTargets": ["cross_entropy: targets must be int64 class indices, got float32", "use Tensor(labels:) for class indices"],
        "mixedDevices": ["add: expected all tensors on one device, got cpu (shape [2]) and cuda:0 (shape [2])", ".to(like:)"],
        "mixedDevicesMatmul": ["matmul: expected all tensors on one device, got cuda:0 (shape [2, 2]) and cpu (shape [2, 2])"],
        "cudaUnavailable": ["to(cuda:0): cannot use cuda:0: CUDA is not available: no CUDA driver: libcuda.so.1 could not be loaded (test: not installed)"],
        "noSuchDevice": ["to(cuda:1): cannot use cuda:1: cuda:1 does not exist: the driver shows 1 device (cuda:0)"],
        "hostOnly": ["cuda:0: a tensor of shape [2, 3] on cuda:0 reached an operation that runs on the CPU only", ".to(.cpu)"],
    ]

    func testMisuseStopsWithANamedMessage() throws {
        for (scenario, fragments) in Self.scenarios.sorted(by: { $0.key < $1.key }) {
            let result = try ChildProcess.runTestBinary(filter: "LightningTensorTests.FailureProbe/testProbe",
                                                        environment: ["LIGHTNING_FAILURE_PROBE": scenario])
            XCTAssertFalse(result.timedOut, "\(scenario): the child process hung")
            XCTAssertFalse(result.succeeded, "\(scenario): the child process should have stopped")
            for fragment in fragments {
                XCTAssertTrue(result.stderr.contains(fragment), "\(scenario): stderr lacks “\(fragment)”; got:\n\(result.stderr.suffix(600))")
            }
            // A caller's bug ends the process as an error, not a crash report.
            XCTAssertTrue(result.stderr.contains("error: \(fragments[0])"), "\(scenario): \(result.stderr.suffix(600))")
            XCTAssertFalse(result.uncaughtSignal, "\(scenario): stopped by a signal instead of exiting")
            XCTAssertEqual(result.status, 1, scenario)
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(scenario): a crash report without being asked:\n\(result.stderr.suffix(600))")
        }
    }

    /// `SWIFT_LIGHTNING_BACKTRACE=1` asks for Swift's crash report (a trap) after the message.
    func testBacktraceOnlyWhenAsked() throws {
        let result = try ChildProcess.runTestBinary(filter: "LightningTensorTests.FailureProbe/testProbe",
                                                    environment: ["LIGHTNING_FAILURE_PROBE": "matmul", "SWIFT_LIGHTNING_BACKTRACE": "1"])
        XCTAssertFalse(result.timedOut)
        XCTAssertTrue(result.stderr.contains("error: matmul: [3, 4] × [5, 6]"), result.stderr)
        XCTAssertTrue(result.uncaughtSignal, "expected the trap of Swift's fatalError, got status \(result.status)")
        XCTAssertTrue(result.stderr.contains("Fatal error"), result.stderr.suffix(600).description)
    }
}

/// Runs one failing scenario when `LIGHTNING_FAILURE_PROBE` names it; otherwise does nothing.
final class FailureProbe: XCTestCase {
    func testProbe() {
        guard let scenario = ProcessInfo.processInfo.environment["LIGHTNING_FAILURE_PROBE"] else { return }
        switch scenario {
        case "matmul": _ = Tensor.zeros([3, 4]).matmul(Tensor.zeros([5, 6]))
        case "broadcast": _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
        case "dtype": _ = Tensor(labels: [1, 2]).relu()
        case "index": _ = Tensor.zeros([3, 2]).indexSelect(dim: 0, indices: Tensor(labels: [0, 7]))
        case "dim": _ = Tensor.zeros([2, 3]).softmax(dim: 2)
        case "reshape": _ = Tensor.zeros([2, 3]).reshaped(to: [4, 4])
        case "target": _ = crossEntropy(logits: Tensor.zeros([2, 3]), targets: Tensor(labels: [0, 5]))
        case "conv": _ = conv2d(Tensor.zeros([1, 3, 8, 8]), weight: Tensor.zeros([4, 2, 3, 3]))
        case "embedding": _ = embedding(Tensor(labels: [1, 9]), weight: Tensor.zeros([4, 2]))
        case "backwardTwice":
            let x = Tensor([1, 2]).requiringGrad()
            let y = (x * x).sum()
            y.backward()
            y.backward()
        case "nonScalarBackward": (Tensor([1, 2]).requiringGrad() * 2).backward()
        case "item": _ = Tensor([1, 2, 3]).item()
        case "anomaly": withAnomalyDetection { Tensor([0, 1]).requiringGrad().log().sum().backward() }
        case "floatTargets": _ = crossEntropy(logits: Tensor.zeros([2, 3]), targets: Tensor([0, 1]))
        case "mixedDevices":
            CUDARuntime.install(.fake(FakeCUDADriver(deviceCount: 1)))
            _ = Tensor([1, 2]) + Tensor([3, 4]).to(.cuda(0))
        case "mixedDevicesMatmul":
            CUDARuntime.install(.fake(FakeCUDADriver(deviceCount: 1)))
            _ = Tensor.eye(2).to(.cuda(0)).matmul(Tensor.eye(2))
        case "cudaUnavailable":
            CUDARuntime.install(CUDARuntime(availability: CUDAAvailability(driver: .missing("test: not installed")), driver: nil,
                                            compiler: nil, cacheDirectory: "/nonexistent"))
            _ = Tensor([1]).to(.cuda(0))
        case "noSuchDevice":
            CUDARuntime.install(.fake(FakeCUDADriver(deviceCount: 1)))
            _ = Tensor([1]).to(.cuda(1))
        case "hostOnly":
            CUDARuntime.install(.fake(FakeCUDADriver(deviceCount: 1)))
            // batch norm has no CUDA kernel yet.
            let onGPU = Tensor.zeros([2, 3]).to(.cuda(0))
            _ = batchNorm(onGPU, runningMean: nil, runningVar: nil, training: true)
        default: XCTFail("unknown probe scenario \(scenario)")
        }
        XCTFail("scenario \(scenario) did not stop the process")
    }
}
