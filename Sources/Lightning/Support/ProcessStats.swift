import Foundation

/// CPU and memory figures of the machine and of this process, read from `/proc` and the process
/// CPU clock (what Lightning's CPU stats read through psutil).
struct ProcessStats {
    /// Busy and total jiffies of every CPU together, from `/proc/stat`'s first line.
    struct CPUTimes { var busy: Double; var total: Double }

    /// The machine's CPU times since boot.
    static func cpuTimes() -> CPUTimes? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 4 else { return nil }
        let total = fields.prefix(8).reduce(0, +)
        // idle and iowait are the idle columns.
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        return CPUTimes(busy: total - idle, total: total)
    }

    /// The share (%) of the machine's CPU time that was busy between `earlier` and `later`.
    static func cpuPercent(from earlier: CPUTimes, to later: CPUTimes) -> Double {
        let total = later.total - earlier.total
        return total > 0 ? (later.busy - earlier.busy) / total * 100 : 0
    }

    /// `/proc/meminfo`'s fields in kB, by name.
    static func memoryInfo() -> [String: Double] {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return [:] }
        var fields: [String: Double] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let value = Double(parts[1].split(separator: " ").first ?? "") else { continue }
            fields[String(parts[0])] = value
        }
        return fields
    }

    /// The share (%) of the machine's memory in use, as psutil's `virtual_memory().percent`.
    static func virtualMemoryPercent(_ info: [String: Double]) -> Double {
        guard let total = info["MemTotal"], total > 0, let available = info["MemAvailable"] else { return 0 }
        return (total - available) / total * 100
    }

    /// The share (%) of swap in use (0 without swap), as psutil's `swap_memory().percent`.
    static func swapPercent(_ info: [String: Double]) -> Double {
        guard let total = info["SwapTotal"], total > 0, let free = info["SwapFree"] else { return 0 }
        return (total - free) / total * 100
    }

    /// This process's resident memory in bytes (`/proc/self/statm`'s second field, in pages).
    static func residentBytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Seconds of CPU this process has used, every thread together.
    static func processCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Seconds on the monotonic clock.
    static func wallSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
