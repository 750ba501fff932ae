#if canImport(Glibc)
import Glibc
#endif
import CMPI
import LightningDistributed

/// The data-parallel hot path against its floor: `Communicator.allReduce(.mean)` of the MLP
/// 784-512-256-10 gradient (535,818 floats) against a bare `MPI_Allreduce` sum of the same bytes.
///
/// Prints (rank 0) `allreduce_overhead_ratio X`, the ratio of medians over rounds, each round
/// timed by its slowest rank; also the per-call overhead on a 1-float allreduce and the
/// watchdog's bookkeeping cost.
struct AllReduceOverhead {
    static let gradientCount = 535_818
    let communicator: any Communicator
    let rounds: Int

    init(_ communicator: any Communicator, rounds: Int) {
        self.communicator = communicator
        self.rounds = Swift.max(rounds, 1)
    }

    func run() {
        let big = compare(count: Self.gradientCount, op: .mean, rounds: rounds)
        let small = compare(count: 1, op: .sum, rounds: rounds * 20)
        let bookkeeping = watchdogNanoseconds()
        guard communicator.isMain else { return }
        print("allreduce_mean_median_us \(format(big.communicator * 1e6))")
        print("mpi_allreduce_sum_median_us \(format(big.bare * 1e6))")
        print("allreduce_overhead_ratio \(format(big.communicator / big.bare))")
        print("small_allreduce_overhead_ns \(format((small.communicator - small.bare) * 1e9))")
        print("watchdog_bookkeeping_ns \(format(bookkeeping))")
    }

    /// Median seconds of the communicator's allreduce and of the bare one, alternating which goes first.
    private func compare(count: Int, op: ReduceOp, rounds: Int) -> (communicator: Double, bare: Double) {
        var viaCommunicator = [Float](repeating: 0.25, count: count)
        var bare = [Float](repeating: 0, count: count)  // summing zeros keeps the values finite
        var times = [Double](repeating: 0, count: 2 * rounds)
        let warmup = 5
        for round in -warmup..<rounds {
            var pair = (0.0, 0.0)
            for turn in round & 1 == 0 ? [0, 1] : [1, 0] {
                communicator.barrier()
                let start = MonotonicSeconds.now()
                if turn == 0 {
                    viaCommunicator.withUnsafeMutableBufferPointer { communicator.allReduce($0, op: op) }
                    pair.0 = MonotonicSeconds.now() - start
                } else {
                    bare.withUnsafeMutableBufferPointer { buffer in
                        _ = MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, Int32(count), cmpi_float(), cmpi_sum(), cmpi_comm_world())
                    }
                    pair.1 = MonotonicSeconds.now() - start
                }
            }
            if round >= 0 { (times[round], times[rounds + round]) = pair }
        }
        times = communicator.allReduced(times, op: .max)
        return (median(times[..<rounds]), median(times[rounds...]))
    }

    /// Nanoseconds per begin/end pair on a watchdog of its own (the cost every collective pays).
    private func watchdogNanoseconds() -> Double {
        let watchdog = CollectiveWatchdog(timeout: nil) { _ in }
        let descriptor = CollectiveDescriptor(.allReduce, op: .mean, element: .float32, count: Self.gradientCount)
        let calls = 1_000_000
        let start = MonotonicSeconds.now()
        for _ in 0..<calls {
            watchdog.begin(descriptor)
            watchdog.end()
        }
        return (MonotonicSeconds.now() - start) / Double(calls) * 1e9
    }

    private func median(_ values: ArraySlice<Double>) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    private func format(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return String(scaled)
    }
}

/// Seconds on the monotonic clock.
enum MonotonicSeconds {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
