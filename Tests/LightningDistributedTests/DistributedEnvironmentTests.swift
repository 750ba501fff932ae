@testable import LightningDistributed
import XCTest

/// The launcher is recognized by its variables; without one, MPI stays untouched.
final class DistributedEnvironmentTests: XCTestCase {
    func testEachLauncherVariableMeansMPI() {
        for name in ["OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"] {
            XCTAssertTrue(DistributedEnvironment.isLaunchedByMPI(environment: [name: "0", "HOME": "/root"]), name)
        }
    }

    func testRankAndWorldSizeComeFromTheFirstLauncherThatSetsThem() {
        XCTAssertEqual(DistributedEnvironment.launcherRank(environment: [:]), 0)
        XCTAssertNil(DistributedEnvironment.launcherWorldSize(environment: [:]))
        XCTAssertEqual(DistributedEnvironment.launcherRank(environment: ["OMPI_COMM_WORLD_RANK": "3", "OMPI_COMM_WORLD_SIZE": "4"]), 3)
        XCTAssertEqual(DistributedEnvironment.launcherWorldSize(environment: ["OMPI_COMM_WORLD_RANK": "3", "OMPI_COMM_WORLD_SIZE": "4"]), 4)
        XCTAssertEqual(DistributedEnvironment.launcherRank(environment: ["PMIX_RANK": "2"]), 2)
        XCTAssertEqual(DistributedEnvironment.launcherRank(environment: ["PMI_RANK": "1", "PMI_SIZE": "2"]), 1)
        XCTAssertEqual(DistributedEnvironment.launcherWorldSize(environment: ["PMI_RANK": "1", "PMI_SIZE": "2"]), 2)
        XCTAssertEqual(DistributedEnvironment.launcherRank(environment: ["OMPI_COMM_WORLD_RANK": "x"]), 0, "an unreadable rank is no rank")
    }

    func testNoLauncherVariableMeansSingleProcess() {
        XCTAssertFalse(DistributedEnvironment.isLaunchedByMPI(environment: [:]))
        XCTAssertFalse(DistributedEnvironment.isLaunchedByMPI(environment: ["OMPI_MCA_btl": "self", "SLURM_JOB_ID": "1"]))
    }

    func testTestProcessGetsSingleProcessCommunicator() throws {
        try XCTSkipIf(DistributedEnvironment.isLaunchedByMPI, "the tests themselves were started by an MPI launcher")
        XCTAssertTrue(DistributedEnvironment.communicator() is SingleProcessCommunicator)
    }

    func testCollectiveTimeoutVariable() {
        XCTAssertEqual(CollectiveWatchdog.timeout(fromVariable: nil), .seconds(300))
        XCTAssertEqual(CollectiveWatchdog.timeout(fromVariable: "2"), .seconds(2))
        XCTAssertEqual(CollectiveWatchdog.timeout(fromVariable: "0.5"), .milliseconds(500))
        XCTAssertNil(CollectiveWatchdog.timeout(fromVariable: "0"))
        XCTAssertEqual(CollectiveWatchdog.timeout(fromVariable: "soon"), .seconds(300))
    }
}
