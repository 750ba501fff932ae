import CMPI
import LightningDistributed

/// The communicator's own cost, below the strategy: `Communicator.allReduce(.mean)` of the MLP
/// 784-512-256-10 gradient (535,818 floats) against a bare `MPI_Allreduce` sum of the same bytes,
/// each round timed by its slowest rank and the order alternated; also the per-call overhead on a
/// 1-float allreduce and the watchdog's bookkeeping per collective.
///
/// Prints (rank 0) `communicator_allreduce_overhead_ratio`, `small_allreduce_overhead_ns` and
/// `watchdog_bookkeeping_ns`. (`allreduce_overhead_ratio` is the strategy's figure: the same
/// gradient averaged through `DataParallelStrategy`, see ``DataParallelWorker/allreduce(_:)``.)
struct CommunicatorOverhead {
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
        print("communicator_allreduce_overhead_ratio \(big.communicator / big.bare)")
        print("small_allreduce_overhead_ns \((small.communicator - small.bare) * 1e9)")
        print("watchdog_bookkeeping_ns \(bookkeeping)")
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
                let start = now()
                if turn == 0 {
                    viaCommunicator.withUnsafeMutableBufferPointer { communicator.allReduce($0, op: op) }
                    pair.0 = now() - start
                } else {
                    bare.withUnsafeMutableBufferPointer { buffer in
                        _ = MPI_Allreduce(cmpi_in_place(), buffer.baseAddress, Int32(count), cmpi_float(), cmpi_sum(), cmpi_comm_world())
                    }
                    pair.1 = now() - start
                }
            }
            if round >= 0 { (times[round], times[rounds + round]) = pair }
        }
        times = communicator.allReduced(times, op: .max)
        return (median(Array(times[..<rounds])), median(Array(times[rounds...])))
    }

    /// Nanoseconds per begin/end pair on a watchdog of its own (the cost every collective pays).
    private func watchdogNanoseconds() -> Double {
        let watchdog = CollectiveWatchdog(timeout: nil) { _ in }
        let descriptor = CollectiveDescriptor(.allReduce, op: .mean, element: .float32, count: Self.gradientCount)
        let calls = 1_000_000
        let start = now()
        for _ in 0..<calls {
            watchdog.begin(descriptor)
            watchdog.end()
        }
        return (now() - start) / Double(calls) * 1e9
    }
}
