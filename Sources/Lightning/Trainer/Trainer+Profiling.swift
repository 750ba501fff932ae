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
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LightningError.misconfiguration("profiler: could not write \(path): \(error.localizedDescription)")
        }
    }
}
