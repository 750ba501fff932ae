#if canImport(Glibc)
import Glibc
#endif
import LightningDistributed
import LightningTensor

/// One rank fails in a chosen way while the others block in a collective it never joins:
/// without the failure handling the job would hang.
struct FailureDrill {
    let communicator: any Communicator
    let failingRank: Int

    init(_ communicator: any Communicator, failingRank: Int) {
        self.communicator = communicator
        self.failingRank = failingRank
    }

    struct DeliberateError: Error, CustomStringConvertible {
        var description: String { "DeliberateError: the probe's failing rank threw" }
    }

    func run(_ mode: ProbeMode) {
        FailureHandler.run {
            communicator.barrier()
            if communicator.rank == failingRank {
                try fail(mode)
            }
            var value: [Float] = [1]
            value.withUnsafeMutableBufferPointer { communicator.allReduce($0, op: .sum) }
            print("rank \(communicator.rank): the collective returned, which it must not")
        }
    }

    private func fail(_ mode: ProbeMode) throws {
        switch mode {
        case .throwError: throw DeliberateError()
        case .sigkill: kill(getpid(), SIGKILL)
        case .segfault: raise(SIGSEGV)
        case .usageFailure: usageFailure("probe: a deliberate usage failure")
        case .hang: sleep(120)
        case .collectives: break
        }
    }
}
