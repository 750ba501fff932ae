import LightningTestSupport
import XCTest

// Every run goes through `ProbeRun.mpirun`, which passes `--timeout` to mpirun and kills the job's
// process group at a hard deadline, so a hung rank can never hang the suite.
/// Runs `lightning-mpi-probe` under `mpirun`: every collective on 2 and 4 ranks, and every way a
/// rank can fail, each of which must end the whole job promptly with a message naming the rank.
final class MPIJobTests: XCTestCase {
    func testCollectivesOnTwoRanks() throws {
        try assertCollectivesPass(ranks: 2)
    }

    func testCollectivesOnFourOversubscribedRanks() throws {
        try assertCollectivesPass(ranks: 4)
    }

    func testPlainRunUsesSingleProcessCommunicatorWithoutInitializingMPI() throws {
        let run = try ProbeRun.alone(["collectives"])
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("rank 0 of 1 (local 0 of 1) SingleProcessCommunicator mpi_initialized 0: collectives ok"), run.output)
    }

    func testThrownErrorEndsJobNamingRank() throws {
        assertAborted(try drill("throw"), within: 5, mentioning: "[rank 1] uncaught error: DeliberateError")
    }

    func testKilledRankEndsJob() throws {
        // Open MPI's own doing: mpirun kills the job when a rank dies without finalizing.
        assertAborted(try drill("sigkill"), within: 5, mentioning: "rank 1")
    }

    func testFatalSignalEndsJobNamingRankAndSignal() throws {
        assertAborted(try drill("segfault"), within: 5, mentioning: "[rank 1] fatal signal SIGSEGV")
    }

    func testTensorUsageFailureEndsJob() throws {
        // The tensor library's failure hook aborts the job with the message, naming the rank.
        let run = try drill("usage-failure")
        assertAborted(run, within: 5, mentioning: "[rank 1] probe: a deliberate usage failure")
    }

    func testWatchdogAbortsCollectiveThatOutlivesTimeout() throws {
        let run = try drill("hang", environment: ["LIGHTNING_COLLECTIVE_TIMEOUT": "2"])
        assertAborted(run, within: 2 + 5, mentioning: "[rank 0] collective allReduce(sum, 1 × float32) timed out after 2 s")
    }

    /// The bench's communicator measurement (moved there from the probe) runs under mpirun and reports its figures.
    func testCommunicatorOverheadReportsRatio() throws {
        let run = try ProbeRun.mpirun(ranks: 2, ["ddp-worker", "communicator-overhead", "--rounds", "3"], executable: "swift-lightning-bench")
        XCTAssertEqual(run.status, 0, run.output)
        for name in ["communicator_allreduce_overhead_ratio ", "small_allreduce_overhead_ns ", "watchdog_bookkeeping_ns "] {
            XCTAssertTrue(run.output.contains(name), run.output)
        }
    }

    /// Rank 1 of 2 fails in the probe's `mode` while rank 0 waits in an allreduce.
    private func drill(_ mode: String, environment: [String: String] = [:]) throws -> ProbeRun {
        try ProbeRun.mpirun(ranks: 2, [mode, "--rank", "1"], environment: environment)
    }

    private func assertCollectivesPass(ranks: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let run = try ProbeRun.mpirun(ranks: ranks, ["collectives"])
        XCTAssertEqual(run.status, 0, run.output, file: file, line: line)
        for rank in 0..<ranks {
            XCTAssertTrue(run.output.contains("rank \(rank) of \(ranks) (local \(rank) of \(ranks)) MPICommunicator mpi_initialized 1: collectives ok"),
                          run.output, file: file, line: line)
        }
    }

    private func assertAborted(_ run: ProbeRun, within seconds: Double, mentioning text: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(run.status, "the job hung until the test's deadline:\n\(run.output)", file: file, line: line)
        XCTAssertNotEqual(run.status, 0, run.output, file: file, line: line)
        XCTAssertLessThan(run.seconds, seconds, run.output, file: file, line: line)
        XCTAssertTrue(run.output.contains(text), "expected \(text) in:\n\(run.output)", file: file, line: line)
        XCTAssertFalse(run.output.contains("the collective returned"), run.output, file: file, line: line)
    }
}
