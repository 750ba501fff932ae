// A test tool, run under mpirun by LightningDistributedTests (each launch with mpirun's --timeout and a
// hard process-group deadline, see ProbeRun): `lightning-mpi-probe MODE [--rank R]`. See `ProbeMode`
// for the modes. It measures nothing: every figure is swift-lightning-bench's.
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
}
