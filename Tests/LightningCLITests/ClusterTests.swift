#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LightningTestSupport
import Safetensors
import XCTest

/// The scripts in cluster/: a fit across two fake hosts (network namespaces on a private bridge)
/// equals a 4-rank local fit, and `launch.sh --max-restarts` recovers from a killed rank with the
/// weights of an uninterrupted run. Every launch has mpirun's `--timeout` and a hard deadline that
/// kills its process group (`ProbeRun.command`); the fake cluster is torn down even on failure.
final class ClusterTests: XCTestCase {
    /// The repository root (cluster/ and hostfiles/ live there).
    private static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A short fixed-seed fit on generated data.
    private static func fitFlags(directory: String, epochs: Int) -> [String] {
        ["fit", "--data", "synthetic", "--seed_everything", "42", "--trainer.max_epochs", String(epochs),
         "--trainer.enable_progress_bar", "false", "--trainer.enable_model_summary", "false",
         "--trainer.default_root_dir", directory]
    }

    private func launcherEnvironment() throws -> [String: String] {
        ["SWIFT_LIGHTNING": try ProbeRun.probePath("swift-lightning"), "OPENBLAS_NUM_THREADS": "1"]
    }

    private func script(_ name: String) -> String { "\(Self.root)/cluster/\(name)" }

    /// The model tensors (not the optimizer's or the loops' state) of one checkpoint.
    private func weights(_ path: String) throws -> [String: SafetensorsTensor] {
        let archive = try SafetensorsArchive.read(path: path)
        let weights = archive.tensors.filter { $0.key.hasPrefix("net.") }
        XCTAssertFalse(weights.isEmpty, "no net.* tensors in \(path): \(archive.names)")
        return weights
    }

    private func onlyCheckpoint(in directory: String) throws -> String {
        let folder = "\(directory)/lightning_logs/version_0/checkpoints"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".ckpt") }
        XCTAssertEqual(files.count, 1, "\(files)")
        return "\(folder)/\(try XCTUnwrap(files.first))"
    }

    // MARK: two fake hosts × 2 ranks == 4 local ranks

    func testTwoFakeHostsMatchFourLocalRanks() throws {
        guard getuid() == 0 else { throw XCTSkip("the fake cluster needs root (network namespaces)") }
        guard access("/usr/sbin/ip", X_OK) == 0 || access("/sbin/ip", X_OK) == 0 || access("/usr/bin/ip", X_OK) == 0 else {
            throw XCTSkip("the fake cluster needs `ip` (iproute2)")
        }
        let environment = try launcherEnvironment()
        // Never take over (or tear down) a fake cluster someone else brought up.
        let existing = try ProbeRun.command(["/bin/sh", "-c", "ip link show lightning-br || ip netns list | grep -q '^lightning-h'"], deadline: 10)
        guard existing.status != 0 else { throw XCTSkip("a fake cluster (lightning-br or lightning-h*) exists already: run cluster/fake-cluster.sh down") }

        let up = try ProbeRun.command(["/bin/bash", script("fake-cluster.sh"), "up", "2"], deadline: 20)
        defer {
            let down = try? ProbeRun.command(["/bin/bash", script("fake-cluster.sh"), "down"], deadline: 20)
            XCTAssertEqual(down?.status, 0, down?.output ?? "down did not run")
            let left = try? ProbeRun.command(["/bin/sh", "-c", "ip -o link show | grep -E 'lightning-br|lgt-h'; ip netns list | grep lightning-h"], deadline: 10)
            XCTAssertEqual(left?.output ?? "", "", "the fake cluster left these behind")
        }
        guard up.status == 0 else {
            if up.output.contains("Operation not permitted") { throw XCTSkip("network namespaces are not permitted here: \(up.output)") }
            XCTFail("fake-cluster.sh up failed: \(up.output)"); return
        }

        let directory = makeTemporaryDirectory().path
        let cluster = try ProbeRun.command(["/bin/bash", script("fake-cluster.sh"), "run", "-n", "4", "--timeout", "60", "--"]
                                           + Self.fitFlags(directory: "\(directory)/cluster", epochs: 3),
                                           environment: environment, deadline: 75)
        XCTAssertEqual(cluster.status, 0, cluster.output)
        let local = try ProbeRun.command(["/bin/bash", script("launch.sh"), "-n", "4", "--timeout", "60", "--"]
                                         + Self.fitFlags(directory: "\(directory)/local", epochs: 3),
                                         environment: environment, deadline: 75)
        XCTAssertEqual(local.status, 0, local.output)
        guard cluster.status == 0, local.status == 0 else { return }
        let summary = { (run: ProbeRun) in run.output.split(separator: "\n").last { $0.hasPrefix("val_acc ") }?.split(separator: " ").prefix(4) }
        XCTAssertEqual(summary(cluster), summary(local), "final validation metrics\n\(cluster.output)\n\(local.output)")
        XCTAssertEqual(try weights(onlyCheckpoint(in: "\(directory)/cluster")), try weights(onlyCheckpoint(in: "\(directory)/local")),
                       "the 2-host run's weights differ from the 4-rank local run's")
        print("ClusterTests: 2 fake hosts x 2 ranks \(String(format: "%.1f", cluster.seconds)) s, 4 local ranks \(String(format: "%.1f", local.seconds)) s")
        XCTAssertTrue(cluster.output.contains("Data parallel over 4 processes on 2 nodes: gradients averaged in node-shared memory"), cluster.output)
        XCTAssertTrue(local.output.contains("Data parallel over 4 processes on 1 node: gradients averaged in node-shared memory"), local.output)

        // Three ranks over the two hosts (2 + 1): the nodes differ, so gradients go by MPI_Allreduce
        // (another summation order), and the run still reaches three local ranks' weights.
        let uneven = try ProbeRun.command(["/bin/bash", script("fake-cluster.sh"), "run", "-n", "3", "--timeout", "60", "--"]
                                          + Self.fitFlags(directory: "\(directory)/uneven", epochs: 1),
                                          environment: environment, deadline: 75)
        XCTAssertEqual(uneven.status, 0, uneven.output)
        XCTAssertTrue(uneven.output.contains("Data parallel over 3 processes: gradients averaged by MPI_Allreduce"), uneven.output)
        let three = try ProbeRun.command(["/bin/bash", script("launch.sh"), "-n", "3", "--timeout", "60", "--"]
                                         + Self.fitFlags(directory: "\(directory)/three", epochs: 1),
                                         environment: environment, deadline: 75)
        XCTAssertEqual(three.status, 0, three.output)
        guard uneven.status == 0, three.status == 0 else { return }
        let unevenWeights = try weights(onlyCheckpoint(in: "\(directory)/uneven"))
        for (name, tensor) in try weights(onlyCheckpoint(in: "\(directory)/three")) {
            assertClose(floats(try XCTUnwrap(unevenWeights[name])), floats(tensor), rtol: 1e-4, atol: 1e-5, "\(name): 2 + 1 hosts against 3 local ranks")
        }
    }

    /// The float32 elements of a stored tensor.
    private func floats(_ tensor: SafetensorsTensor) -> [Float] {
        tensor.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    // MARK: launch.sh --max-restarts after a killed rank

    func testKilledRankRestartsFromLastCheckpointWithUninterruptedWeights() throws {
        let environment = try launcherEnvironment()
        let directory = makeTemporaryDirectory().path
        let checkpointing = ["--trainer.callbacks+=ModelCheckpoint", "--trainer.callbacks.every_n_train_steps", "5",
                             "--trainer.callbacks.save_last", "true"]
        let killedRoot = "\(directory)/killed-\(getpid())"
        // Kill one rank (not mpirun) once the first last.ckpt is on disk.
        let killer = RankKiller(marker: killedRoot, trigger: "\(killedRoot)/lightning_logs/version_0/checkpoints/last.ckpt")
        killer.start()
        let restarted = try ProbeRun.command(["/bin/bash", script("launch.sh"), "-n", "2", "--max-restarts", "1", "--timeout", "60", "--"]
                                             + Self.fitFlags(directory: killedRoot, epochs: 20) + checkpointing,
                                             environment: environment, deadline: 140)
        killer.stop()
        XCTAssertNotNil(killer.killed, "no rank was killed (the run finished before last.ckpt appeared?)\n\(restarted.output)")
        XCTAssertEqual(restarted.status, 0, restarted.output)
        XCTAssertTrue(restarted.output.contains("RESTART 1/1"), restarted.output)

        let cleanRoot = "\(directory)/clean"
        let clean = try ProbeRun.command(["/bin/bash", script("launch.sh"), "-n", "2", "--timeout", "60", "--"]
                                         + Self.fitFlags(directory: cleanRoot, epochs: 20) + checkpointing,
                                         environment: environment, deadline: 70)
        XCTAssertEqual(clean.status, 0, clean.output)
        guard restarted.status == 0, clean.status == 0 else { return }
        let resumed = try SafetensorsArchive.read(path: "\(killedRoot)/lightning_logs/version_1/checkpoints/last.ckpt")
        let reference = try SafetensorsArchive.read(path: "\(cleanRoot)/lightning_logs/version_0/checkpoints/last.ckpt")
        XCTAssertEqual(resumed.tensors.filter { $0.key.hasPrefix("net.") }, reference.tensors.filter { $0.key.hasPrefix("net.") },
                       "weights after the restart differ from the uninterrupted run's")
        XCTAssertEqual(Set(resumed.names), Set(reference.names))
        for name in reference.names where name.hasPrefix("optimizer.") {
            XCTAssertEqual(resumed[name], reference[name], "optimizer state \(name)")
        }
        print("ClusterTests: killed + restarted \(String(format: "%.1f", restarted.seconds)) s, uninterrupted \(String(format: "%.1f", clean.seconds)) s")
    }
}

/// Polls for `trigger`, then SIGKILLs the highest-numbered process whose command line contains
/// `marker` and is a `swift-lightning` rank (not mpirun or the launcher script).
// Unchecked: `stopped` and `killedPID` change only under `lock`; `thread` is set once, by `start`, on the test's thread.
private final class RankKiller: @unchecked Sendable {
    let marker: String
    let trigger: String
    private let lock = NSLock()
    private var stopped = false
    private var killedPID: pid_t?
    private var thread: Thread?

    init(marker: String, trigger: String) { (self.marker, self.trigger) = (marker, trigger) }

    var killed: pid_t? { lock.lock(); defer { lock.unlock() }; return killedPID }

    func start() {
        let thread = Thread { [self] in
            let start = Date()
            while Date().timeIntervalSince(start) < 100 {
                if isStopped { return }
                if access(trigger, F_OK) == 0, let pid = rankPIDs().max() {
                    kill(pid, SIGKILL)
                    lock.lock(); killedPID = pid; lock.unlock()
                    return
                }
                usleep(20_000)
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() { lock.lock(); stopped = true; lock.unlock() }

    private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

    private func rankPIDs() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            let words = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard let first = words.first, first.hasSuffix("/swift-lightning"), words.contains(marker) else { return nil }
            return pid
        }
    }
}
