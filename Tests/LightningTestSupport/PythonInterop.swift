import Foundation
import Synchronization
import XCTest

/// Results of `import …` probes, so each module set starts `python3` once per test run.
private let pythonProbes = Mutex<[String: String?]>([:])

/// Throws `XCTSkip` (printing the reason) unless `python3` can import every one of `modules`.
///
/// The project never needs Python; interop tests use it when present and say why they skip.
public func skipUnlessPython(modules: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    let statement = "import " + modules.joined(separator: ", ")
    let cached = pythonProbes.withLock { $0[statement] }
    let failure: String?
    if let cached {
        failure = cached
    } else {
        do {
            let probe = try ChildProcess.run("python3", ["-c", statement], timeout: 300)
            failure = probe.succeeded ? nil : String(probe.stderr.split(separator: "\n").last ?? "no output")
        } catch {
            failure = "cannot run python3: \(error)"
        }
        pythonProbes.withLock { $0[statement] = .some(failure) }
    }
    if let failure {
        let reason = "python3 cannot import \(modules.joined(separator: ", ")) (\(failure)); skipping"
        print(reason)
        throw XCTSkip(reason, file: file, line: line)
    }
}

/// Runs `python3 -c script arguments…`; call ``skipUnlessPython(modules:file:line:)`` first.
public func runPython(_ script: String, _ arguments: [String] = [], timeout: TimeInterval = 300) throws -> ChildProcessResult {
    try ChildProcess.run("python3", ["-c", script] + arguments, timeout: timeout)
}
