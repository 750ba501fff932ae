@testable import LightningDistributed
import XCTest

/// The launcher is recognized by its variables; without one, MPI stays untouched.
final class DistributedEnvironmentTests: XCTestCase {
    func testEachLauncherVariableMeansMPI() {
        for name in ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"] {
            XCTAssertTrue(DistributedEnvironment.isLaunchedByMPI(environment: [name: "0", "HOME": "/root"]), name)
        }
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
