import Foundation
import Lightning

/// Measures `startup_to_first_step_s`: from the process's start (its start time in
/// `/proc/self/stat`) to the end of the first training step, printed once on rank 0.
final class StartupTimer: Callback {
    private var reported = false

    /// Prints the time after the first training batch.
    func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        guard !reported, trainer.isGlobalZero else { return }
        reported = true
        guard let seconds = Self.secondsSinceProcessStart() else { return }
        print("startup_to_first_step_s \(String(format: "%.3f", seconds))")
    }

    /// Seconds since this process started, from the boot-relative clock and the start time the
    /// kernel recorded (in clock ticks, so to about 10 ms); `nil` off Linux.
    static func secondsSinceProcessStart() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3; starttime is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        let uptime = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        return uptime - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
