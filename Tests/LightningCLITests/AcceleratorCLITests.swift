import Foundation
import LightningCUDA
import LightningDistributed
import LightningTestSupport
import XCTest

// No test here means to launch mpirun: `--trainer.devices 2` with an unusable GPU must stop before
// the re-run. Should it ever re-run, SWIFT_LIGHTNING_MPIRUN_TIMEOUT gives mpirun a 30 s --timeout
// and the child's own timeout ends it.

/// `--trainer.accelerator gpu` on this machine, for real: where CUDA is missing, exit status 2
/// naming what is missing, and nothing written.
final class AcceleratorCLITests: XCTestCase {
    private func run(_ arguments: [String], in directory: String) throws -> ChildProcessResult {
        let unset = DistributedEnvironment.launcherVariables.flatMap { ["-u", $0] }
        return try ChildProcess.run("/usr/bin/env", unset + ["-C", directory, try builtExecutable("swift-lightning")] + arguments,
                                    environment: [NodeLaunch.timeoutVariable: "30"], timeout: 120)
    }

    func testAGPUThatCannotBeUsedStopsWithStatus2BeforeAnythingIsWritten() throws {
        guard let problem = CUDARuntime.shared.availability.problem else {
            throw XCTSkip("this machine can train on a GPU: \(CUDARuntime.shared.availability.summary)")
        }
        for accelerator in ["gpu", "cuda"] {
            for extra in [[], ["--trainer.devices", "2"]] {
                let directory = TemporaryDirectory(prefix: "cli-accelerator")
                defer { directory.remove() }
                let result = try run(["fit", "--trainer.accelerator", accelerator, "--trainer.max_epochs", "1"] + extra, in: directory.path)
                XCTAssertEqual(result.status, 2, result.stderr)
                XCTAssertEqual(result.stderr, "error: trainer.accelerator '\(accelerator)': \(problem)\n")
                XCTAssertFalse(result.stderr.contains("starting 2 processes"), "no re-run under mpirun for a GPU that cannot be used")
                XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [], "nothing written (no version_N)")
            }
        }
    }
}
