import Foundation

/// What a finished child process left: its exit status and everything it printed.
public struct ChildProcessResult: Sendable {
    /// The exit status, or the signal number when it was killed (see `uncaughtSignal`).
    public let status: Int32
    /// Whether it ended by a signal (a trap, or the timeout's kill) rather than by exiting.
    public let uncaughtSignal: Bool
    /// Standard output, decoded as UTF-8.
    public let stdout: String
    /// Standard error, decoded as UTF-8.
    public let stderr: String
    /// Whether it was killed for running past the timeout.
    public let timedOut: Bool

    /// Whether it exited with status 0.
    public var succeeded: Bool { !uncaughtSignal && !timedOut && status == 0 }
}

/// Runs child processes for tests: tools such as `python3`, or this test binary itself on one
/// test (to watch a deliberate crash from outside, as the error-message tests do).
public enum ChildProcess {
    /// Runs `executable` (a path, or a name looked up on `PATH`) with `arguments`; `environment`
    /// is added to this process's environment. Output goes to files, so a chatty child never
    /// blocks on a full pipe; a child still running after `timeout` seconds is killed.
    public static func run(_ executable: String, _ arguments: [String] = [], environment: [String: String] = [:],
                           timeout: TimeInterval = 120) throws -> ChildProcessResult {
        let scratch = TemporaryDirectory(prefix: "child-process")
        defer { scratch.remove() }
        let outPath = scratch.write("stdout", []), errPath = scratch.write("stderr", [])
        guard let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        try out.close()
        try err.close()
        return ChildProcessResult(
            status: process.terminationStatus, uncaughtSignal: process.terminationReason == .uncaughtSignal,
            stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self),
            timedOut: timedOut)
    }

    /// Re-runs this test binary on the one test `filter` names (`Target.Class/testMethod`),
    /// with `environment` added: the child can crash on purpose while the parent checks how.
    public static func runTestBinary(filter: String, environment: [String: String] = [:],
                                     timeout: TimeInterval = 120) throws -> ChildProcessResult {
        try run("/proc/self/exe", [filter], environment: environment, timeout: timeout)
    }
}
