@testable import LightningDistributed
import XCTest

/// The watchdog's slot: what is in flight, and when it becomes overdue.
final class CollectiveWatchdogTests: XCTestCase {
    func testDescriptorRoundTripsThroughOneWord() {
        let descriptors = [
            CollectiveDescriptor(.allReduce, op: .mean, element: .float32, count: 535_818),
            CollectiveDescriptor(.gather, element: .uint8, count: 0),
            CollectiveDescriptor(.barrier),
            CollectiveDescriptor(.allReduceWait, op: .min, element: .int64, count: (1 << 40) - 1),
        ]
        for descriptor in descriptors {
            XCTAssertEqual(CollectiveDescriptor(packed: descriptor.packed), descriptor)
        }
    }

    func testDescriptorNamesTheCall() {
        XCTAssertEqual(CollectiveDescriptor(.allReduce, op: .mean, element: .float32, count: 535_818).description,
                       "allReduce(mean, 535818 × float32)")
        XCTAssertEqual(CollectiveDescriptor(.barrier).description, "barrier()")
        XCTAssertEqual(CollectiveDescriptor(.broadcast, element: .int64, count: 1).description, "broadcast(1 × int64)")
    }

    func testOnlyACollectiveInFlightPastTheTimeoutIsOverdue() {
        let watchdog = CollectiveWatchdog(timeout: .seconds(2)) { _ in XCTFail("the watchdog thread must not fire here") }
        let later = MonotonicClock.nanoseconds() + 3_000_000_000
        XCTAssertNil(watchdog.overdueCollective(now: later), "nothing in flight")
        let barrier = CollectiveDescriptor(.barrier)
        watchdog.begin(barrier)
        XCTAssertNil(watchdog.overdueCollective(now: MonotonicClock.nanoseconds()))
        XCTAssertEqual(watchdog.overdueCollective(now: MonotonicClock.nanoseconds() + 3_000_000_000), barrier)
        watchdog.timeout = nil
        XCTAssertNil(watchdog.overdueCollective(now: MonotonicClock.nanoseconds() + 3_000_000_000), "disabled")
        watchdog.timeout = .seconds(2)
        watchdog.end()
        XCTAssertNil(watchdog.overdueCollective(now: MonotonicClock.nanoseconds() + 3_000_000_000), "finished")
    }

    func testTimeoutPrintsLikeAPersonWritesIt() {
        XCTAssertEqual(CollectiveWatchdog.secondsText(2_000_000_000), "2")
        XCTAssertEqual(CollectiveWatchdog.secondsText(500_000_000), "0.5")
    }
}
