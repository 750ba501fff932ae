import LightningTensor
#if canImport(Glibc)
import Glibc
#endif

/// What the probe does.
enum ProbeMode: String, CaseIterable {
    /// Every collective on every supported type, checked; prints `collectives ok` per rank.
    case collectives
    /// Rank `--rank` throws an error out of `FailureHandler.run` while the others wait in a collective.
    case throwError = "throw"
    /// Rank `--rank` sends itself SIGKILL while the others wait in a collective.
    case sigkill
    /// Rank `--rank` raises SIGSEGV while the others wait in a collective.
    case segfault
    /// Rank `--rank` hits a tensor usage failure while the others wait in a collective.
    case usageFailure = "usage-failure"
    /// Rank `--rank` stops answering (sleeps) while the others wait in a collective.
    case hang
}

/// `MODE [--rank R]`.
struct ProbeArguments {
    var mode: ProbeMode
    /// The rank that fails in the failure modes.
    var rank = 1

    init<Arguments: Collection<String>>(_ arguments: Arguments) {
        var words = Array(arguments)
        guard let first = words.first, let mode = ProbeMode(rawValue: first) else {
            let modes = ProbeMode.allCases.map(\.rawValue).joined(separator: "|")
            StandardError.write(line: "usage: lightning-mpi-probe \(modes) [--rank R]")
            exit(2)
        }
        self.mode = mode
        words.removeFirst()
        while words.count >= 2 {
            let (flag, value) = (words.removeFirst(), words.removeFirst())
            switch flag {
            case "--rank": rank = Int(value) ?? rank
            default: StandardError.write(line: "lightning-mpi-probe: unknown option \(flag)"); exit(2)
            }
        }
    }
}
