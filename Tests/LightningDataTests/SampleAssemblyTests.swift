import Foundation
import LightningTestSupport
import Synchronization
import XCTest
@testable import LightningData

/// A batch built sample by sample by several threads at once: every sample is built exactly
/// once, exactly one thread collates, and the batch is the one a single thread builds.
final class SampleAssemblyTests: XCTestCase {
    func testThreadsSharingAnAssemblyBuildEachSampleOnceAndCollateOnce() {
        let indices = Array((0..<200).reversed())
        let context = SampleContext(seed: 4, epoch: 2)
        let builds = Mutex<[Int: Int]>([:])
        let finished = Mutex<[[Int]]>([])
        let assembly = SampleAssembly<[Int]>(indices: indices, context: context, sample: { index, _ in
            builds.withLock { $0[index, default: 0] += 1 }
            return index * 3
        }, collate: { $0 })
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            while true {
                switch assembly.buildNext() {
                case .nothingLeft: return
                case .built: continue
                case .finished(let batch): finished.withLock { $0.append(batch) }
                }
            }
        }
        XCTAssertEqual(builds.withLock { $0 }, Dictionary(uniqueKeysWithValues: indices.map { ($0, 1) }))
        XCTAssertEqual(finished.withLock { $0 }, [indices.map { $0 * 3 }], "one collation, in index order")
        XCTAssertFalse(assembly.hasUnclaimedSamples)
    }

    func testACancelledAssemblyHandsOutNoMoreSamples() {
        let built = SharedCounter()
        let assembly = SampleAssembly<[Int]>(indices: Array(0..<10), context: SampleContext(seed: 0, epoch: 0),
                                             sample: { index, _ in built.bump(); return index }, collate: { $0 })
        _ = assembly.buildNext()
        assembly.cancel()
        XCTAssertFalse(assembly.hasUnclaimedSamples)
        XCTAssertNil(assembly.buildRemaining())
        XCTAssertEqual(built.value, 1)
    }
}
