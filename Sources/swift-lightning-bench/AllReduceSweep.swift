import LightningDistributed

/// Allreduce time against message size, for the scaling note in `cluster/README.md`:
/// `mpirun -n P swift-lightning-bench ddp-worker sweep` prints (rank 0) `allreduce_us ranks=P bytes=B T`
/// for float buffers from 4 KB to 32 MB, the median of rounds, each round timed by its slowest rank.
struct AllReduceSweep {
    let communicator: any Communicator
    let rounds: Int

    init(_ communicator: any Communicator, rounds: Int) {
        self.communicator = communicator
        self.rounds = Swift.max(rounds, 3)
    }

    func run() {
        var count = 1024
        while count <= 8 * 1024 * 1024 {
            var buffer = [Float](repeating: 0.5, count: count)
            var times: [Double] = []
            for round in -3..<rounds {
                communicator.barrier()
                let start = now()
                buffer.withUnsafeMutableBufferPointer { communicator.allReduce($0, op: .mean) }
                if round >= 0 { times.append(now() - start) }
            }
            times = communicator.allReduced(times, op: .max)
            if communicator.isMain {
                print("allreduce_us ranks=\(communicator.worldSize) bytes=\(count * 4) \(Int((median(times) * 1e6).rounded()))")
            }
            count *= 4
        }
    }
}
