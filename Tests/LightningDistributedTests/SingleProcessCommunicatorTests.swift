@testable import LightningDistributed
import LightningTensor
import XCTest

/// Alone, every collective is the identity or a copy.
final class SingleProcessCommunicatorTests: XCTestCase {
    let communicator = SingleProcessCommunicator()

    func testTopologyIsOneProcess() {
        XCTAssertEqual(communicator.rank, 0)
        XCTAssertEqual(communicator.worldSize, 1)
        XCTAssertEqual(communicator.localRank, 0)
        XCTAssertEqual(communicator.localWorldSize, 1)
        XCTAssertTrue(communicator.isMain)
    }

    func testAllReduceLeavesValues() {
        for op in [ReduceOp.sum, .mean, .max, .min] {
            XCTAssertEqual(communicator.allReduced([Float(1.5), -2], op: op), [1.5, -2])
            XCTAssertEqual(communicator.allReduced([0.25, 7.0], op: op), [0.25, 7.0])
        }
        for op in [ReduceOp.sum, .max, .min] {
            XCTAssertEqual(communicator.allReduced([Int64(3), -4], op: op), [3, -4])
        }
    }

    func testTensorCollectivesLeaveElements() {
        let gradient = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        communicator.allReduce(gradient, op: .mean)
        communicator.broadcast(gradient, root: 0)
        XCTAssertEqual(gradient.scalars, [1, 2, 3, 4])
        let labels = Tensor(int64: [5, 6])
        communicator.allReduce(labels, op: .sum)
        communicator.broadcast(labels, root: 0)
        XCTAssertEqual(labels.int64Scalars, [5, 6])
    }

    func testBroadcastReturnsTheValue() {
        XCTAssertEqual(communicator.broadcast(Int64(42), root: 0), 42)
        XCTAssertEqual(communicator.broadcast([UInt8](), root: 0), [])
        XCTAssertEqual(communicator.broadcast(Array("bytes".utf8), root: 0), Array("bytes".utf8))
        XCTAssertEqual(communicator.broadcast(#"{"version": 3}"#, root: 0), #"{"version": 3}"#)
        var buffer: [Double] = [1, 2]
        buffer.withUnsafeMutableBufferPointer { communicator.broadcast($0, root: 0) }
        XCTAssertEqual(buffer, [1, 2])
    }

    func testGathersWrapTheValuesInOneRank() {
        XCTAssertEqual(communicator.allGather([Float(1), 2]), [[1, 2]])
        XCTAssertEqual(communicator.gather([Int64(3)], root: 0), [[3]])
        XCTAssertEqual(communicator.gather([UInt8](), root: 0), [[]])
    }

    func testAsyncAllReduceIsCompleteAtOnce() {
        var values: [Float] = [1, 2]
        values.withUnsafeMutableBufferPointer { buffer in
            let request = communicator.allReduceAsync(buffer, op: .mean)
            XCTAssertTrue(request.test())
            request.wait()
        }
        XCTAssertEqual(values, [1, 2])
        communicator.barrier()
    }
}
