import Foundation
import LightningDistributed
import LightningTestSupport
import Safetensors
import XCTest
@testable import LightningCLI

/// `--trainer.devices N` started directly re-runs the program under `mpirun -n N`: the decision
/// as a table, then end to end against an explicit `mpirun -n 2` (same weights), with the exit
/// status and SIGTERM reaching the ranks. Every launch has a timeout: the re-run's mpirun gets
/// `--timeout` from SWIFT_LIGHTNING_MPIRUN_TIMEOUT (set short here), and the started process a
/// deadline (ProbeRun's process-group kill, or the SIGTERM test's own).
final class NodeLaunchTests: XCTestCase {
    /// mpirun's `--timeout` for the re-runs these tests start, in seconds.
    static let mpirunTimeout = "180"

    func testDecisionTable() {
        typealias D = NodeLaunch.Decision
        let rows: [(devices: Int?, launched: Bool, guardSet: Bool, mpirun: Bool, expected: D)] = [
            (nil, false, false, true, .runHere),
            (1, false, false, true, .runHere),
            (4, false, false, true, .relaunch(processes: 4)),
            (4, true, false, true, .runHere),     // under a launcher the Trainer checks the count
            (4, true, true, true, .runHere),      // a rank of the re-run
        ]
        for row in rows {
            XCTAssertEqual(NodeLaunch.decide(devices: row.devices, launchedByMPI: row.launched, guardSet: row.guardSet, mpirunAvailable: row.mpirun),
                           row.expected, "\(row)")
        }
        guard case .refuse(let noMPI) = NodeLaunch.decide(devices: 3, launchedByMPI: false, guardSet: false, mpirunAvailable: false) else {
            return XCTFail("no mpirun must be refused")
        }
        XCTAssertTrue(noMPI.contains("mpirun") && noMPI.contains("devices 3"), noMPI)
        guard case .refuse(let loop) = NodeLaunch.decide(devices: 3, launchedByMPI: false, guardSet: true, mpirunAvailable: true) else {
            return XCTFail("a re-run without launcher variables must not launch again")
        }
        XCTAssertTrue(loop.contains("re-run"), loop)
    }

    let common = ["fit", "--trainer.accelerator", "cpu", "--trainer.max_epochs", "2", "--seed_everything", "3",
                  "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false", "--data.batch_size", "64"]

    /// The newest checkpoint's tensors under `root`.
    func weights(under root: String) throws -> [String: [Float]] {
        let directory = root + "/lightning_logs/version_0/checkpoints"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("epoch=") }.sorted()
        let file = try Safetensors.read(path: directory + "/" + XCTUnwrap(files.last))
        return Dictionary(uniqueKeysWithValues: file.tensors.filter { !$0.key.hasPrefix("optimizer.") }.map { ($0.key, $0.value.scalars) })
    }

    func testDevicesTwoStartedDirectlyEqualsMPIRunTwo() throws {
        guard MPIRunCommand.locateMPIRun() != nil else { throw XCTSkip("mpirun is not installed") }
        let direct = makeTemporaryDirectory(), launched = makeTemporaryDirectory()
        let executable = try ProbeRun.probePath("swift-lightning")
        let run = try ProbeRun.command(["/usr/bin/env"] + DistributedEnvironment.launcherVariables.flatMap { ["-u", $0] }
                                       + ["\(NodeLaunch.timeoutVariable)=\(Self.mpirunTimeout)", executable] + common + ["--trainer.devices", "2", "--trainer.default_root_dir", direct.path], deadline: 240)
        XCTAssertEqual(run.status, 0, run.output)
        XCTAssertTrue(run.output.contains("devices 2: starting 2 processes"), run.output)
        XCTAssertTrue(run.output.contains("--timeout \(Self.mpirunTimeout) s"), "the re-run's mpirun has the timeout asked for:\n\(run.output)")
        let reference = try ProbeRun.mpirun(ranks: 2, common + ["--trainer.default_root_dir", launched.path], limit: 240, executable: "swift-lightning")
        XCTAssertEqual(reference.status, 0, reference.output)
        let a = try weights(under: direct.path), b = try weights(under: launched.path)
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted())
        for (name, bytes) in a { XCTAssertEqual(bytes, b[name], "\(name) differs from mpirun -n 2's") }
    }

    func testAFailingRankGivesTheJobsExitStatus() throws {
        guard MPIRunCommand.locateMPIRun() != nil else { throw XCTSkip("mpirun is not installed") }
        let directory = makeTemporaryDirectory()
        let executable = try ProbeRun.probePath("swift-lightning")
        // A monitored key that is never logged is an error once validation has run: every rank exits 1.
        let run = try ProbeRun.command(["/usr/bin/env"] + DistributedEnvironment.launcherVariables.flatMap { ["-u", $0] }
                                       + ["\(NodeLaunch.timeoutVariable)=\(Self.mpirunTimeout)", executable] + common + ["--trainer.devices", "2", "--trainer.default_root_dir", directory.path,
                                                                  "--trainer.callbacks+=EarlyStopping", "--trainer.callbacks.monitor", "never_logged"],
                                       deadline: 240)
        XCTAssertEqual(run.status, 1, run.output)
        XCTAssertTrue(run.output.contains("never_logged"), run.output)
    }

    /// SIGTERM to the process the user started (mpirun now, same process id) reaches every rank:
    /// they save last.ckpt at one agreed batch and the job ends.
    func testSIGTERMToTheStartedProcessReachesTheRanks() throws {
        guard MPIRunCommand.locateMPIRun() != nil else { throw XCTSkip("mpirun is not installed") }
        let directory = makeTemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = DistributedEnvironment.launcherVariables.flatMap { ["-u", $0] }
            + ["\(NodeLaunch.timeoutVariable)=\(Self.mpirunTimeout)", try ProbeRun.probePath("swift-lightning")] + common.map { $0 == "2" ? "200" : $0 }
            + ["--trainer.devices", "2", "--trainer.default_root_dir", directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let started = Date()
        // Wait for training to be under way: the first epoch's metrics on disk.
        let metrics = directory.path + "/lightning_logs/version_0/metrics.csv"
        while !FileManager.default.fileExists(atPath: metrics) && Date().timeIntervalSince(started) < 120 && process.isRunning { usleep(100_000) }
        XCTAssertTrue(process.isRunning, "the job ended before the signal")
        kill(process.processIdentifier, SIGTERM)
        let signalled = Date()
        while process.isRunning && Date().timeIntervalSince(signalled) < 60 { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertFalse(process.isRunning)
        XCTAssertNotEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("SIGTERM"), text)
        let checkpoints = directory.path + "/lightning_logs/version_0/checkpoints"
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoints + "/last.ckpt"), "the ranks saved last.ckpt:\n\(text)")
    }
}
