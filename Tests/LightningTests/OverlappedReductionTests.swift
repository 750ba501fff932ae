import Lightning
import LightningDistributed
import XCTest

/// `DataParallelStrategy(overlapWithBackward: true)` against a recording two-rank communicator:
/// which gradient ranges it starts reducing, and when.
final class OverlappedReductionTests: XCTestCase {
    /// Rank 0 of two; `allReduceAsync` records the range of the flat buffer it was given and
    /// leaves the values (as if the other rank held the same gradient).
    // Unchecked: used from the test's thread only (the strategy calls it synchronously).
    final class RecordingCommunicator: Communicator, @unchecked Sendable {
        final class Done: CollectiveRequest {
            var waited = false
            func wait() { waited = true }
            func test() -> Bool { true }
        }
        var base: UnsafeMutableRawPointer?
        var started: [Range<Int>] = []
        var requests: [Done] = []
        var rank: Int { 0 }
        var worldSize: Int { 2 }
        var localRank: Int { 0 }
        var localWorldSize: Int { 2 }
        func allReduce<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, op: ReduceOp) {
            record(buffer)
        }
        func allReduceAsync<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, op: ReduceOp) -> any CollectiveRequest {
            record(buffer)
            requests.append(Done())
            return requests.last!
        }
        private func record<Element>(_ buffer: UnsafeMutableBufferPointer<Element>) {
            let offset = (UnsafeMutableRawPointer(buffer.baseAddress!) - base!) / MemoryLayout<Element>.stride
            started.append(offset..<(offset + buffer.count))
        }
        func broadcast<Element: CollectiveScalar>(_ buffer: UnsafeMutableBufferPointer<Element>, root: Int) {}
        func allGather<Element: CollectiveScalar>(_ values: [Element]) -> [[Element]] { [values, values] }
        func gather<Element: CollectiveScalar>(_ values: [Element], root: Int) -> [[Element]] { [values, values] }
        func barrier() {}
        func abort(code: Int32, message: String) -> Never { fatalError(message) }
    }

    final class TwoLayers: LightningModuleBase {
        let first = Linear(4, 8, generator: Generator(seed: 1))
        let second = Linear(8, 3, generator: Generator(seed: 2))
        let unused = Linear(2, 2, generator: Generator(seed: 3))
        func loss(_ x: Tensor) -> Tensor { second(first(x).relu()).sum() }
    }

    /// The module with its flat buffer under a strategy whose buckets hold one Linear each.
    func prepared(overlap: Bool = true) throws -> (TwoLayers, DataParallelStrategy, RecordingCommunicator) {
        let module = TwoLayers()
        let buffer = module.flattenGradients()
        let communicator = RecordingCommunicator()
        communicator.base = buffer.withUnsafeMutableBufferPointer { UnsafeMutableRawPointer($0.baseAddress!) }
        // A cap of 6 floats: walking back from the last parameter, a bucket closes once it holds 6 or more.
        let strategy = DataParallelStrategy(communicator: communicator, bucketCapMB: 24 / 1_048_576, overlapWithBackward: overlap)
        try strategy.setup(module: module)
        return (module, strategy, communicator)
    }

    func testBucketsStartDuringBackwardNearestTheLossFirst() throws {
        let (module, strategy, communicator) = try prepared()
        // Layout: first.weight 0..<32, first.bias 32..<40, second.weight 40..<64, second.bias 64..<67, unused 67..<73.
        try strategy.beforeBackward(module: module, reducing: true)
        module.loss(Tensor.ones([5, 4])).backward()
        // `unused` is never reached, so its bucket (the last parameters) waits, and buckets start in order.
        XCTAssertEqual(communicator.started, [], "the first bucket (unused) is incomplete, so nothing may start out of order")
        try strategy.reduceGradients(module: module)
        XCTAssertEqual(communicator.started, [67..<73, 40..<67, 32..<40, 0..<32])
        XCTAssertTrue(communicator.requests.allSatisfy(\.waited))
        XCTAssertEqual(module.unused.weight.grad?.scalars, [0, 0, 0, 0], "an unreached parameter reduces zeros")
    }

    func testBucketsStartAsBackwardCompletesThemWhenEveryParameterIsUsed() throws {
        let (module, strategy, communicator) = try prepared()
        module.unused.weight.requiresGrad = false
        module.unused.bias!.requiresGrad = false
        let buffer = module.flattenGradients()
        communicator.base = buffer.withUnsafeMutableBufferPointer { UnsafeMutableRawPointer($0.baseAddress!) }
        try strategy.setup(module: module)
        try strategy.beforeBackward(module: module, reducing: true)
        module.loss(Tensor.ones([5, 4])).backward()
        XCTAssertEqual(communicator.started, [40..<67, 32..<40, 0..<32], "every bucket started inside backward")
        try strategy.reduceGradients(module: module)
        XCTAssertEqual(communicator.started, [40..<67, 32..<40, 0..<32], "nothing left to start after backward")
        XCTAssertTrue(communicator.requests.allSatisfy(\.waited))
    }

    func testAccumulatingBackwardStartsNothing() throws {
        let (module, strategy, communicator) = try prepared()
        try strategy.beforeBackward(module: module, reducing: false)
        module.loss(Tensor.ones([5, 4])).backward()
        XCTAssertEqual(communicator.started, [])
        // A backward outside the Trainer's announcement starts nothing either.
        module.loss(Tensor.ones([5, 4])).backward()
        XCTAssertEqual(communicator.started, [])
    }

    func testTeardownRemovesTheHooks() throws {
        let (module, strategy, communicator) = try prepared()
        strategy.teardown()
        try strategy.beforeBackward(module: module, reducing: true)
        module.loss(Tensor.ones([5, 4])).backward()
        XCTAssertEqual(communicator.started, [])
    }
}
