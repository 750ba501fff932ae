import Foundation
import LightningTestSupport
import XCTest

/// `swift-lightning` restarting itself with faster OpenBLAS kernels, observed from outside: the
/// test-only core-name override makes it see generic kernels on this CPU, and its debug lines
/// show each process image's inputs and decision.
final class BLASKernelReexecTests: XCTestCase {
    /// The core type this CPU should get, from /proc/cpuinfo's flags (independently of the code
    /// under test); skips on a CPU without AVX2 and FMA, where there is nothing to switch to.
    private func expectedCoreType() throws -> String {
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let line = try XCTUnwrap(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") })
        let flags = Set(line.split(separator: " ").map(String.init))
        guard flags.isSuperset(of: ["avx2", "fma"]) else { throw XCTSkip("this CPU has no AVX2 with FMA") }
        return flags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) ? "SkylakeX" : "Haswell"
    }

    /// `swift-lightning --help` with `environment`, without OPENBLAS_CORETYPE, the guard or launcher variables.
    private func runHelp(_ environment: [String]) throws -> (result: ChildProcessResult, debug: [String]) {
        let executable = try builtExecutable("swift-lightning")
        let cleared = ["OPENBLAS_CORETYPE", "SWIFT_LIGHTNING_BLAS_REEXEC", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"]
        let result = try ChildProcess.run("/usr/bin/env", cleared.flatMap { ["-u", $0] } + ["SWIFT_LIGHTNING_BLAS_DEBUG=1"] + environment
                                                                          + [executable, "--help"], timeout: 60)
        XCTAssertTrue(result.succeeded, result.stderr)
        XCTAssertEqual(result.stdout.components(separatedBy: "usage: swift-lightning").count, 2,
                       "the program ran once to its end (help printed once): \(result.stdout)")
        return (result, result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("blas-kernels: ") })
    }

    /// The process id in a debug line.
    private func pid(_ line: String) -> String { line.components(separatedBy: "pid ")[1].components(separatedBy: " ")[0] }

    func testGenericKernelsRestartOnceWithTheBestCoreTypeInTheSameProcess() throws {
        let core = try expectedCoreType()
        let (_, lines) = try runHelp(["SWIFT_LIGHTNING_TEST_BLAS_CORENAME=Prescott"])
        XCTAssertEqual(lines.count, 3, lines.joined(separator: "\n"))
        guard lines.count == 3 else { return }
        XCTAssertTrue(lines[0].contains("OPENBLAS_CORETYPE=unset SWIFT_LIGHTNING_BLAS_REEXEC=unset: action reexec(coreType: \"\(core)\")"), lines[0])
        // After the restart OpenBLAS really runs the requested kernels, and they compute right.
        XCTAssertTrue(lines[1].contains("OPENBLAS_CORETYPE=\(core) SWIFT_LIGHTNING_BLAS_REEXEC=selected: verified \(core) kernels: sgemm matches"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix("SWIFT_LIGHTNING_BLAS_REEXEC=selected: action keep"), lines[2])
        XCTAssertEqual(Set(lines.map(pid)).count, 1, "exec in place keeps the process id (what MPI launchers track)")
    }

    func testEachRankRestartsInPlaceBeforeMPIStartsUnderMpirun() throws {
        let core = try expectedCoreType()
        let directory = TemporaryDirectory(prefix: "blas-reexec-mpirun")
        defer { directory.remove() }
        // env resolves mpirun on PATH and clears the variables a user would not have set.
        let run = try ProbeRun.command(["/usr/bin/env", "-u", "OPENBLAS_CORETYPE", "-u", "SWIFT_LIGHTNING_BLAS_REEXEC",
                                        "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                                        "SWIFT_LIGHTNING_BLAS_DEBUG=1", "SWIFT_LIGHTNING_TEST_BLAS_CORENAME=Prescott",
                                        "mpirun", "-n", "2", "--oversubscribe", "--timeout", "120",
                                        "-x", "SWIFT_LIGHTNING_BLAS_DEBUG", "-x", "SWIFT_LIGHTNING_TEST_BLAS_CORENAME",
                                        try builtExecutable("swift-lightning"), "fit", "--trainer.max_epochs", "1",
                                        "--trainer.default_root_dir", directory.path, "--trainer.enable_progress_bar", "false"],
                                       deadline: 150)
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("Data parallel over 2 processes"), run.output)
        let lines = run.output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("blas-kernels: ") }
        let byProcess = Dictionary(grouping: lines, by: pid)
        XCTAssertEqual(byProcess.count, 2, "one process id per rank, kept across its restart: \(lines)")
        for (_, ownLines) in byProcess {
            XCTAssertEqual(ownLines.count, 3, ownLines.joined(separator: "\n"))
            XCTAssertTrue(ownLines.contains { $0.contains("action reexec(coreType: \"\(core)\")") }, ownLines.joined(separator: "\n"))
            XCTAssertTrue(ownLines.contains { $0.contains("verified \(core) kernels: sgemm matches") }, ownLines.joined(separator: "\n"))
        }
    }

    func testWrongResultsFallBackOnceAndStop() throws {
        _ = try expectedCoreType()
        let (result, lines) = try runHelp(["SWIFT_LIGHTNING_TEST_BLAS_CORENAME=Prescott", "SWIFT_LIGHTNING_TEST_BLAS_VERIFY=fail"])
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        guard lines.count == 4 else { return }
        XCTAssertTrue(lines[0].contains("action reexec"), lines[0])
        XCTAssertTrue(lines[1].contains("sgemm DIFFERS"), lines[1])
        XCTAssertTrue(lines[2].hasSuffix("action fallBack"), lines[2])
        XCTAssertTrue(lines[3].contains("OPENBLAS_CORETYPE=unset SWIFT_LIGHTNING_BLAS_REEXEC=fallback: action keep"), lines[3])
        XCTAssertTrue(result.stderr.contains("warning: OpenBLAS's"), result.stderr)
        XCTAssertEqual(Set(lines.map(pid)).count, 1)
    }

    func testUserCoreTypeOrRecognisedKernelsAreKept() throws {
        _ = try expectedCoreType()
        for environment in [["SWIFT_LIGHTNING_TEST_BLAS_CORENAME=Prescott", "OPENBLAS_CORETYPE=Haswell"],
                            ["SWIFT_LIGHTNING_TEST_BLAS_CORENAME=Haswell"]] {
            let (_, lines) = try runHelp(environment)
            XCTAssertEqual(lines.count, 1, lines.joined(separator: "\n"))
            XCTAssertTrue(lines.first?.hasSuffix("action keep") ?? false, lines.joined(separator: "\n"))
        }
    }
}
