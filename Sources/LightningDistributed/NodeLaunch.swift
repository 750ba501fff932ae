#if canImport(Glibc)
import Glibc
#endif
import LightningTensor

/// One node, N processes, no launcher to type: a program started directly with `devices: N`
/// (`Trainer(devices: 4)`, `swift-lightning fit --trainer.devices 4`) re-runs itself under
/// `mpirun -n N` with the same arguments and environment, as Lightning's `Trainer(devices=4)` starts
/// its processes. The program is replaced (`execv`), so mpirun keeps its process id: Ctrl-C and
/// SIGTERM sent to it reach every rank through mpirun, and the job's exit status is the program's.
///
/// A guard variable marks the re-run, so a rank never launches again: under a launcher the
/// Trainer only checks that the count matches.
package enum NodeLaunch {
    /// Set in the environment of the re-run (the number of processes), so it can never loop.
    package static let guardVariable = "SWIFT_LIGHTNING_NODE_LAUNCH"
    /// The variable that sets mpirun's `--timeout` for the re-run, in seconds (tests set a short one).
    package static let timeoutVariable = "SWIFT_LIGHTNING_MPIRUN_TIMEOUT"
    /// mpirun's own timeout for the job: `SWIFT_LIGHTNING_MPIRUN_TIMEOUT`, else a day, as
    /// `cluster/launch.sh` gives it by default.
    package static var timeoutSeconds: Int {
        getenv(timeoutVariable).flatMap { Int(String(cString: $0)) }.flatMap { $0 > 0 ? $0 : nil } ?? 86_400
    }

    /// What a process asked for `devices` does.
    package enum Decision: Equatable, Sendable {
        /// Run in this process (one device, or already under a launcher).
        case runHere
        /// Re-run under `mpirun -n processes`.
        case relaunch(processes: Int)
        /// Cannot: the reason, for the Trainer's argument errors.
        case refuse(String)
    }

    /// The decision for `devices` in a process that `launchedByMPI` or not, with the guard set or
    /// not and mpirun on `PATH` or not (a pure function: the table the tests check).
    package static func decide(devices: Int?, launchedByMPI: Bool, guardSet: Bool, mpirunAvailable: Bool) -> Decision {
        guard let devices, devices > 1, !launchedByMPI else { return .runHere }
        if guardSet {
            return .refuse("devices \(devices): this process is the re-run under mpirun, yet it has no MPI launcher variables "
                           + "(\(DistributedEnvironment.launcherVariables.joined(separator: ", "))); start the job with mpirun -n \(devices) yourself")
        }
        guard mpirunAvailable else {
            return .refuse("devices \(devices) starts \(devices) processes through Open MPI's mpirun, which is not on PATH; "
                           + "install openmpi-bin, or leave devices unset for one process")
        }
        return .relaunch(processes: devices)
    }

    /// The decision for this process.
    package static func decide(devices: Int?) -> Decision {
        // Most Trainers ask for one device: no environment or PATH look-up for them.
        guard let devices, devices > 1 else { return .runHere }
        return decide(devices: devices, launchedByMPI: DistributedEnvironment.isLaunchedByMPI, guardSet: getenv(guardVariable) != nil,
                      mpirunAvailable: MPIRunCommand.locateMPIRun() != nil)
    }

    /// Replaces this process with `mpirun -n processes <this program> <its arguments>`; returns
    /// only when that fails, with the reason.
    package static func relaunch(processes: Int, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
        guard let mpirun = MPIRunCommand.locateMPIRun() else { return "mpirun is not on PATH" }
        guard let resolved = realpath("/proc/self/exe", nil) else { return "cannot resolve /proc/self/exe" }
        let program = String(cString: resolved)
        free(resolved)
        let command = MPIRunCommand(ranks: processes, timeoutSeconds: timeoutSeconds).arguments(mpirun: mpirun, program: [program] + arguments)
        setenv(guardVariable, String(processes), 1)
        for (name, value) in MPIRunCommand.rootVariables where getenv(name) == nil { setenv(name, value, 1) }
        StandardError.write(line: "devices \(processes): starting \(processes) processes with mpirun on this node (--timeout \(timeoutSeconds) s)")
        fflush(nil)
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        argv.append(nil)
        execv(mpirun, argv)
        let reason = String(cString: strerror(errno))
        for pointer in argv { free(pointer) }
        unsetenv(guardVariable)
        return "could not start \(mpirun): \(reason)"
    }
}
