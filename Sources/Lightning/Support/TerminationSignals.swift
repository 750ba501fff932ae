#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGTERM and SIGUSR1 during `fit` (a cluster's preemption or SLURM's warning before the time
/// limit): the handler only records the signal; the training loop then saves a checkpoint on
/// every rank's behalf at the next batch boundary all ranks agree on, and stops.
enum TerminationSignals {
    /// The last signal received, or 0.
    static let received = Atomic<Int32>(0)
    // Unsafe: only `install` and `uninstall` touch it, on the thread that runs `fit`, never at once;
    // the signal handler touches only `received`.
    nonisolated(unsafe) private static var previous: [Int32: sigaction] = [:]

    /// Installs the recording handler for SIGTERM and SIGUSR1, keeping the previous ones.
    static func install() {
        received.store(0, ordering: .relaxed)
        for signalNumber in [SIGTERM, SIGUSR1] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in TerminationSignals.received.store(number, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            if sigaction(signalNumber, &action, &old) == 0 { previous[signalNumber] = old }
        }
    }

    /// Puts the previous handlers back.
    static func uninstall() {
        for (signalNumber, var old) in previous { sigaction(signalNumber, &old, nil) }
        previous = [:]
    }

    /// `SIGTERM` or `SIGUSR1`.
    static func name(_ number: Int32) -> String { number == SIGUSR1 ? "SIGUSR1" : number == SIGTERM ? "SIGTERM" : "signal \(number)" }
}

extension Trainer {
    /// The signal any rank received, checked every batch in one process and every
    /// `signalCheckInterval` batches across processes (one tiny allreduce), so all ranks stop at
    /// the same batch.
    func agreedTerminationSignal() throws -> Int32? {
        let local = TerminationSignals.received.load(ordering: .relaxed)
        if worldSize == 1 { return local == 0 ? nil : local }
        guard progress.totalBatches % signalCheckInterval == 0 else { return nil }
        var value = [Double(local)]
        try strategy.allReduce(&value, op: .max)
        return value[0] == 0 ? nil : Int32(value[0])
    }

    /// Saves `last.ckpt` where ModelCheckpoint saves (or `<logDir>/checkpoints`), then stops the run.
    func stopForTerminationSignal(_ signalNumber: Int32) throws -> Never {
        let directory = checkpointCallback?.dirpath ?? "\(logDir)/checkpoints"
        let path = "\(directory)/last.ckpt"
        try saveCheckpoint(to: path)
        TrainerLog.info("\(TerminationSignals.name(signalNumber)) received: saved \(path); resume with ckptPath: \"last\"")
        throw LightningError.interrupted(signal: TerminationSignals.name(signalNumber), checkpoint: path)
    }
}
