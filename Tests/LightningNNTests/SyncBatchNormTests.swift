import Foundation
import LightningTestSupport
import XCTest
@testable import LightningNN

/// A batch split over several holders whose BatchNorm statistics are summed across them gives the
/// whole batch's statistics, running statistics, outputs and gradients. Here the holders are
/// threads with an in-process sum; `LightningTests/SyncBatchNormTests` does the same over MPI.
final class SyncBatchNormTests: XCTestCase {
    /// Sums each call's values over `parts` threads, in part order (an in-process allreduce).
    final class ThreadSum: @unchecked Sendable {  // Unchecked: every field is guarded by `condition`.
        private let condition = NSCondition()
        private var contributions: [[Double]?]
        private var result: [Double] = []
        private var generation = 0

        init(parts: Int) { contributions = Array(repeating: nil, count: parts) }

        func sum(_ values: inout [Double], part: Int) {
            condition.lock()
            defer { condition.unlock() }
            let mine = generation
            contributions[part] = values
            if contributions.allSatisfy({ $0 != nil }) {
                let all = contributions.map { $0! }
                result = all.dropFirst().reduce(all[0]) { zip($0, $1).map(+) }
                contributions = contributions.map { _ in nil }
                generation += 1
                condition.broadcast()
            } else {
                while generation == mine { condition.wait() }
            }
            values = result
        }
    }

    /// One thread's view of a ``ThreadSum``.
    struct ThreadPart: BatchStatisticsReducer {
        let shared: ThreadSum
        let part: Int
        func sum(_ values: inout [Double]) { shared.sum(&values, part: part) }
    }

    /// What one holder of rows `rows` of the batch computes: outputs, input gradient (of a loss
    /// divided by the whole batch's size, so the parts' gradients are the whole's rows), weight and
    /// bias gradients, running statistics after two steps.
    struct PartResult {
        var output: [Float], inputGradient: [Float], weightGradient: [Float], biasGradient: [Float]
        var runningMean: [Float], runningVar: [Float]
    }

    static let shape = [30, 3, 2, 2]

    static func run(rows: Range<Int>, statistics: any BatchStatisticsReducer) -> PartResult {
        let input = Tensor.randn(shape, generator: Generator(seed: 5)) * 3 + 1
        let probe = Tensor.randn(shape, generator: Generator(seed: 6))
        let layer = BatchNorm2d(shape[1])
        layer.weight!.value.withUnsafeMutableBufferPointer { _ = $0.update(from: [0.5, -1.5, 2]) }
        layer.bias!.value.withUnsafeMutableBufferPointer { _ = $0.update(from: [0.1, 0.2, -0.3]) }
        layer.synchronizeBatchNorm(with: statistics)
        let x = input.sliced(dim: 0, start: rows.lowerBound, end: rows.upperBound).copied().requiringGrad()
        let weights = probe.sliced(dim: 0, start: rows.lowerBound, end: rows.upperBound)
        _ = layer(x * 2)  // a first step moves the running statistics
        let y = layer(x)
        ((y * weights).sum() / Float(shape[0])).backward()
        return PartResult(output: y.scalars, inputGradient: x.grad!.scalars, weightGradient: layer.weight!.grad!.scalars,
                          biasGradient: layer.bias!.grad!.scalars, runningMean: layer.runningMean!.value.scalars,
                          runningVar: layer.runningVar!.value.scalars)
    }

    /// `splits` of the batch's rows, each run on its own thread with the sums shared.
    static func runSplit(_ splits: [Range<Int>]) -> [PartResult] {
        let shared = ThreadSum(parts: splits.count)
        // Unchecked: each thread writes its own slot before `group.leave()`; read after `wait()`.
        final class Results: @unchecked Sendable { var parts: [PartResult?] = [] }
        let results = Results()
        results.parts = Array(repeating: nil, count: splits.count)
        let group = DispatchGroup()
        for (part, rows) in splits.enumerated() {
            group.enter()
            Thread {
                results.parts[part] = run(rows: rows, statistics: ThreadPart(shared: shared, part: part))
                group.leave()
            }.start()
        }
        group.wait()
        return results.parts.map { $0! }
    }

    func testSplitBatchesGiveTheWholeBatchsStatisticsOutputsAndGradients() {
        let whole = Self.run(rows: 0..<Self.shape[0], statistics: LocalBatchStatistics())
        let rowSize = Self.shape[1...].reduce(1, *)
        for splits in [[0..<15, 15..<30], [0..<11, 11..<21, 21..<30], [0..<2, 2..<30]] {
            let parts = Self.runSplit(splits)
            for (part, rows) in zip(parts, splits) {
                let slice = (rows.lowerBound * rowSize)..<(rows.upperBound * rowSize)
                let label = "rows \(rows) of \(splits)"
                assertClose(part.output, Array(whole.output[slice]), "\(label): output")
                assertClose(part.inputGradient, Array(whole.inputGradient[slice]), "\(label): input gradient")
                assertClose(part.runningMean, whole.runningMean, "\(label): running mean")
                assertClose(part.runningVar, whole.runningVar, "\(label): running variance")
            }
            // Parameter gradients stay each part's own: their sum is the whole batch's.
            let weight = parts.dropFirst().reduce(parts[0].weightGradient) { zip($0, $1.weightGradient).map(+) }
            let bias = parts.dropFirst().reduce(parts[0].biasGradient) { zip($0, $1.biasGradient).map(+) }
            assertClose(weight, whole.weightGradient, "\(splits): weight gradient")
            assertClose(bias, whole.biasGradient, "\(splits): bias gradient")
        }
    }

    /// Unsynchronized parts normalize with their own statistics: a check that the split above
    /// would notice a layer that ignored its reducer.
    func testUnsynchronizedPartsDiffer() {
        let whole = Self.run(rows: 0..<Self.shape[0], statistics: LocalBatchStatistics())
        let part = Self.run(rows: 0..<15, statistics: LocalBatchStatistics())
        XCTAssertNotEqual(part.runningMean, whole.runningMean)
        XCTAssertGreaterThan(zip(part.output, whole.output).map { abs($0 - $1) }.max()!, 1e-2)
    }

    /// Evaluation uses the running statistics and never calls the reducer; a module's traversal
    /// reaches every BatchNorm layer.
    func testEvaluationDoesNotReduceAndTraversalFindsEveryLayer() {
        struct Refusing: BatchStatisticsReducer {
            func sum(_ values: inout [Double]) { XCTFail("evaluation reduced statistics") }
        }
        let model = Sequential(Linear(4, 3), BatchNorm1d(3), Sequential(ReLU(), BatchNorm1d(3)), Linear(3, 2))
        XCTAssertEqual(model.synchronizeBatchNorm(with: Refusing()), 2)
        model.eval()
        _ = model(Tensor.randn([5, 4], generator: Generator(seed: 1)))
    }
}
