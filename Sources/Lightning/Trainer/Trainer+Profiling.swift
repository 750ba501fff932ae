import Foundation

/// Timing a run's actions and reporting them when a stage ends.
extension Trainer {
    /// Runs `body` as `action` when a profiler is on; with none, only the `nil` check is paid
    /// (`action` is not even built).
    @inline(__always)
    func profiled<R>(_ action: @autoclosure () -> String, _ body: () throws -> R) rethrows -> R {
        guard let run = profiledRun else { return try body() }
        return try run.measure(action(), body)
    }

    /// Runs `body` as the run's action at `action` when a profiler is on.
    @inline(__always)
    func profiled<R>(_ action: KeyPath<ProfiledRun, String>, _ body: () throws -> R) rethrows -> R {
        guard let run = profiledRun else { return try body() }
        return try run.measure(run[keyPath: action], body)
    }

    /// Starts profiling a stage: names for its module, strategy and callbacks, clocks reset.
    func beginProfiling(_ module: AnyObject) {
        guard let profiler else { return }
        profiler.reset()
        profiledRun = ProfiledRun(profiler: profiler, module: module, strategy: strategy, callbacks: callbacks)
        strategy.profiler = profiler
    }

    /// Stops profiling, without a report (a failed run).
    func endProfiling() {
        profiledRun = nil
        strategy.profiler = nil
    }

    /// The stage's report: rank 0 prints it and writes it into the log directory (`profile.txt`
    /// for fit, `<stage>-profile.txt` otherwise). Under several processes every rank's actions are
    /// gathered (collective: every rank calls this at the end of the stage) and a second table names
    /// each action's fastest and slowest rank.
    func reportProfile(_ stage: Stage) throws {
        guard let profiler, profiledRun != nil else { return }
        defer { endProfiling() }
        let duration = profiler.elapsed()
        let actions = profiler.actions()
        var text = ProfileReport.table(stage: stage.rawValue, actions: actions, duration: duration)
        if worldSize > 1 {
            let all = try strategy.allGather(ProfileReport.encode(actions)).map(ProfileReport.decode)
            text += "\n" + ProfileReport.ranksTable(all)
        }
        guard isGlobalZero else { return }
        if profiler.printsReport { print(text) }
        guard let file = profiler.reportFile else { return }
        let directory = logDir
        let path = (directory as NSString).appendingPathComponent(stage == .fit ? file : "\(stage.rawValue)-\(file)")
        do {
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            try Self.writeReplacing(path, text)
        } catch {
            throw LightningError.misconfiguration("profiler: could not write \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `text` to a temporary file beside `path` and renames it over `path`: a reader never
    /// sees half a report, and plain POSIX calls cost a fraction of Foundation's atomic write
    /// (milliseconds on a busy disk), which a short profiled run would pay at every stage.
    private static func writeReplacing(_ path: String, _ text: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard let file = fopen(temporary, "w") else { throw CocoaError(.fileWriteUnknown) }
        let bytes = Array(text.utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        let closed = fclose(file)
        guard written == bytes.count, closed == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }
}
