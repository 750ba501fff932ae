import Foundation
import XCTest
@testable import LightningTensor

/// `withAnomalyDetection`: the first NaN or infinity a derivative rule returns stops backward,
/// naming the operation and its input shapes; without it backward runs through as before.
final class AnomalyDetectionTests: XCTestCase {
    /// `log` at 0 has the derivative 1/0 = inf: the anomaly names `log`, its input's shape and
    /// the first element at 0, and the gradient never reaches the leaf.
    func testInfiniteGradientNamesTheOperationAndItsInputShapes() throws {
        let w = Tensor([[1, 2, 3], [4, 5, 6]]).requiringGrad()
        let mask = Tensor([[1, 1, 0], [1, 0, 1]])
        let error = try XCTUnwrap(withAnomalyDetection { () -> AnomalyError? in
            let loss = (w * mask).log().mean()
            do { try loss.checkedBackward() } catch let error as AnomalyError { return error } catch { XCTFail("\(error)") }
            return nil
        })
        XCTAssertEqual(error.op, "log")
        XCTAssertEqual(error.inputShapes, [[2, 3]])
        XCTAssertEqual(error.inputIndex, 0)
        XCTAssertEqual(error.elementIndex, 2, "row-major index of the first zero of w * mask")
        XCTAssertEqual(error.value, .infinity)
        XCTAssertTrue(error.description.contains("'log' (inputs [2, 3]) returned inf"), error.description)
        XCTAssertNil(w.grad, "the pass stops at the anomaly")
    }

    /// 0 × inf: `sqrt` at 0 receiving a zero gradient returns NaN; an operation with two inputs
    /// names both shapes, a constant one included.
    func testNaNGradientOfATwoInputOperation() throws {
        let w = Tensor([0, 4]).requiringGrad()
        let scale = Tensor([[0, 0], [0, 0], [0, 0]])
        XCTAssertThrowsError(try withAnomalyDetection { try (w.sqrt() * scale).sum().checkedBackward() }) { error in
            guard let anomaly = error as? AnomalyError else { return XCTFail("\(error)") }
            XCTAssertEqual(anomaly.op, "sqrt")
            XCTAssertTrue(anomaly.value.isNaN)
            XCTAssertEqual(anomaly.elementIndex, 0)
        }
        XCTAssertThrowsError(try withAnomalyDetection { try ((w + 1).log() * Tensor.full([3, 2], .infinity)).sum().checkedBackward() }) { error in
            guard let anomaly = error as? AnomalyError else { return XCTFail("\(error)") }
            XCTAssertEqual(anomaly.op, "mul")
            XCTAssertEqual(anomaly.inputShapes, [[2], [3, 2]])
            XCTAssertEqual(anomaly.value, .infinity)
        }
    }

    /// Off (the default, or `withAnomalyDetection(false)`), the same pass runs to the leaves and
    /// leaves the non-finite gradient there, as before.
    func testWithoutDetectionBackwardRunsThrough() throws {
        for enabled in [nil, false] as [Bool?] {
            let w = Tensor([0, 1]).requiringGrad()
            let run = { try w.log().sum().checkedBackward() }
            if let enabled { try withAnomalyDetection(enabled, run) } else { try run() }
            XCTAssertEqual(w.grad?.scalars, [.infinity, 1])
        }
    }

    /// A graph recorded outside the mode keeps no shapes: the anomaly gives those of the inputs
    /// that received a gradient, and `nil` for the others.
    func testGraphRecordedOutsideDetectionNamesTheShapesItCan() throws {
        let w = Tensor([0, 1]).requiringGrad()
        let loss = (w.log() * Tensor([[1, 1], [1, 1]])).sum()
        XCTAssertThrowsError(try withAnomalyDetection { try loss.checkedBackward() }) { error in
            guard let anomaly = error as? AnomalyError else { return XCTFail("\(error)") }
            XCTAssertEqual(anomaly.op, "log")
            XCTAssertEqual(anomaly.inputShapes, [[2]])
        }
    }

    /// The mode nests, ends with its scope, and belongs to the thread that entered it.
    func testModeIsScopedAndPerThread() {
        XCTAssertFalse(AnomalyMode.isEnabled)
        // Unchecked: written by the worker thread before `done.signal()`, read after `done.wait()`.
        final class Seen: @unchecked Sendable { var enabled = true }
        let seen = Seen()
        withAnomalyDetection {
            withAnomalyDetection { XCTAssertTrue(AnomalyMode.isEnabled) }
            XCTAssertTrue(AnomalyMode.isEnabled, "an inner scope does not end the outer one")
            withAnomalyDetection(false) { XCTAssertTrue(AnomalyMode.isEnabled, "false leaves the mode as it is") }
            let done = DispatchSemaphore(value: 0)
            Thread { seen.enabled = AnomalyMode.isEnabled; done.signal() }.start()
            done.wait()
        }
        XCTAssertFalse(AnomalyMode.isEnabled)
        XCTAssertFalse(seen.enabled, "another thread is not inside this thread's scope")
    }
}
