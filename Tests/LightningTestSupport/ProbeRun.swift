#if canImport(Glibc)
import Glibc
#endif
import LightningDistributed
import XCTest

/// Runs one of the package's executables (`lightning-mpi-probe` by default), alone or under
/// `mpirun`, in its own process group with a hard deadline, so a hung job can never hang the test
/// run and no rank outlives its test.
public struct ProbeRun {
    /// Combined standard output and error.
    public var output: String
    /// The exit status, or 128 + signal; `nil` when the deadline killed it.
    public var status: Int32?
    /// Wall-clock seconds from launch to exit.
    public var seconds: Double

    /// `mpirun -n ranks --timeout limit lightning-mpi-probe arguments` (with `--oversubscribe` past the core count).
    public static func mpirun(ranks: Int, _ arguments: [String], environment: [String: String] = [:],
                              limit: Int = 30, executable: String = "lightning-mpi-probe") throws -> ProbeRun {
        guard let mpirun = MPIRunCommand.locateMPIRun() else { throw XCTSkip("mpirun is not installed") }
        let command = MPIRunCommand(ranks: ranks, timeoutSeconds: limit, forwarding: Array(environment.keys))
            .arguments(mpirun: mpirun, program: [try probePath(executable)] + arguments)
        return try run(command, environment: MPIRunCommand.environment(environment), deadline: Double(limit) + 10)
    }

    /// The probe as a plain process, with no launcher variables in its environment.
    public static func alone(_ arguments: [String], limit: Double = 30, environment: [String: String] = [:],
                             executable: String = "lightning-mpi-probe") throws -> ProbeRun {
        try run([try probePath(executable)] + arguments, environment: environment, deadline: limit, removing: Set(DistributedEnvironment.launcherVariables))
    }

    /// Any command (`command[0]` an absolute path), in its own process group with the same hard
    /// deadline as the probe runs: the whole group is killed at the deadline and again after exit.
    public static func command(_ command: [String], environment: [String: String] = [:],
                               deadline: Double = 30) throws -> ProbeRun {
        try run(command, environment: environment, deadline: deadline)
    }

    /// The probe executable, built beside this test bundle (`swift build` and `swift test` build every target).
    public static func probePath(_ executable: String = "lightning-mpi-probe") throws -> String {
        let ownPath = try XCTUnwrap(realpath("/proc/self/exe", nil).map { path in defer { free(path) }; return String(cString: path) })
        let directory = String(ownPath[..<(ownPath.lastIndex(of: "/") ?? ownPath.endIndex)])
        let probe = directory + "/" + executable
        guard access(probe, X_OK) == 0 else {
            throw XCTSkip("\(probe) is missing: run `swift build` (or `swift test`, which builds every target) first")
        }
        return probe
    }

    /// Spawns `command` as the leader of a new process group, collects its output, and kills the
    /// whole group at the deadline and again after exit (any straggler rank).
    private static func run(_ command: [String], environment: [String: String], deadline: Double,
                            removing removed: Set<String> = []) throws -> ProbeRun {
        var pipeEnds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&pipeEnds), 0)
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        defer { close(readEnd) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let argv = command.map { strdup($0) } + [nil]
        let envp = mergedEnvironment(environment, removing: removed).map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        let start = now()
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        close(writeEnd)
        guard spawned == 0 else { throw XCTSkip("could not start \(command[0]): error \(spawned)") }

        var output: [UInt8] = []
        var status: Int32?
        var buffer = [UInt8](repeating: 0, count: 65536)
        var exited = false
        while !exited {
            var poller = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 100) > 0 {
                let n = read(readEnd, &buffer, buffer.count)
                if n > 0 { output += buffer[..<n] }
            }
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                exited = true
                status = exitStatus(raw)
            } else if now() - start > deadline {
                kill(-pid, SIGKILL)
                waitpid(pid, &raw, 0)
                exited = true
            }
        }
        let seconds = now() - start
        kill(-pid, SIGKILL)  // ranks that outlived mpirun, if any
        drain(readEnd, into: &output)
        return ProbeRun(output: String(decoding: output, as: UTF8.self), status: status, seconds: seconds)
    }

    /// Reads what is left in the pipe, for at most a second.
    private static func drain(_ fd: Int32, into output: inout [UInt8]) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let start = now()
        while now() - start < 1 {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return }
            output += buffer[..<n]
        }
    }

    private static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    private static func mergedEnvironment(_ extra: [String: String], removing removed: Set<String>) -> [String] {
        var result: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            let name = String(text.prefix { $0 != "=" })
            if extra[name] == nil && !removed.contains(name) { result.append(text) }
            entry += 1
        }
        return result + extra.map { "\($0.key)=\($0.value)" }
    }

    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
