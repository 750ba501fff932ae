// An internal tool, run under mpirun by LightningDistributedTests and the allreduce benchmark (each launch
// with mpirun's --timeout and a hard process-group deadline, see ProbeRun):
// `lightning-mpi-probe MODE [--rank R] [--rounds N]`. See `ProbeMode` for the modes.
#if canImport(Glibc)
import Glibc
#endif
import LightningDistributed

let arguments = ProbeArguments(CommandLine.arguments.dropFirst())
let communicator = DistributedEnvironment.start()

switch arguments.mode {
case .collectives:
    CollectiveChecks(communicator).runAll()
case .throwError, .sigkill, .segfault, .usageFailure, .hang:
    FailureDrill(communicator, failingRank: arguments.rank).run(arguments.mode)
case .overhead:
    AllReduceOverhead(communicator, rounds: arguments.rounds).run()
case .sweep:
    AllReduceSweep(communicator, rounds: arguments.rounds).run()
}
