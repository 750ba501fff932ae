#if canImport(Glibc)
import Glibc
#endif

/// Monotonic wall-clock time in seconds.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The median of `values`.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

/// Times `body` `repetitions` times after `warmup` untimed runs; returns the median in seconds.
func measure(warmup: Int, repetitions: Int, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    times.reserveCapacity(repetitions)
    for _ in 0..<repetitions {
        let start = now()
        body()
        times.append(now() - start)
    }
    return median(times)
}

/// Prints one `NAME VALUE` line.
func report(_ name: String, _ value: Double, digits: Int = 3) {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    print("\(name) \(rounded)")
    fflush(nil)  // every C stream: stdout without naming the C global
}

/// Seconds of CPU this process has used (every thread): unlike wall time, other processes on a
/// shared machine barely move it, so small differences in work stay visible.
func processCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
