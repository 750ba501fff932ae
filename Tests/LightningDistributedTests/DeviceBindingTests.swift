@testable import LightningDistributed
import XCTest

/// Ranks on one node share its cores; the environment and a launcher's pinning take precedence.
final class DeviceBindingTests: XCTestCase {
    func testUnpinnedRanksShareTheCores() {
        let binding = DeviceBinding.plan(localRank: 3, localWorldSize: 4, onlineCores: 16, usableCores: 16, environmentThreads: nil)
        XCTAssertEqual(binding, DeviceBinding(deviceIndex: 3, blasThreads: 4, threadsFromEnvironment: false))
    }

    func testMoreRanksThanCoresGetOneThreadEach() {
        let binding = DeviceBinding.plan(localRank: 0, localWorldSize: 4, onlineCores: 2, usableCores: 2, environmentThreads: nil)
        XCTAssertEqual(binding.blasThreads, 1)
    }

    func testPinnedRankUsesItsOwnCores() {
        let binding = DeviceBinding.plan(localRank: 1, localWorldSize: 2, onlineCores: 16, usableCores: 8, environmentThreads: nil)
        XCTAssertEqual(binding.blasThreads, 8)
    }

    func testOpenBLASVariableWins() {
        let binding = DeviceBinding.plan(localRank: 0, localWorldSize: 4, onlineCores: 16, usableCores: 16, environmentThreads: "3")
        XCTAssertEqual(binding, DeviceBinding(deviceIndex: 0, blasThreads: 3, threadsFromEnvironment: true))
        let invalid = DeviceBinding.plan(localRank: 0, localWorldSize: 4, onlineCores: 16, usableCores: 16, environmentThreads: "many")
        XCTAssertEqual(invalid.blasThreads, 4)
    }

    func testAffinityMaskCounting() {
        XCTAssertEqual(DeviceBinding.coreCount(affinityMask: "\t3\n"), 2)
        XCTAssertEqual(DeviceBinding.coreCount(affinityMask: "ff,ffffffff"), 40)
        XCTAssertGreaterThan(DeviceBinding.usableCores(), 0)
    }
}
