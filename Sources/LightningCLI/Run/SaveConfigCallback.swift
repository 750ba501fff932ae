import Foundation
import Lightning

/// Writes the run's complete configuration as `config.yaml` in the log directory on rank 0 when
/// the run starts (Lightning's `SaveConfigCallback`), so `--config config.yaml` repeats the run.
final class SaveConfigCallback: Callback {
    /// The YAML to write (set once the seed is known).
    var text = ""

    /// Writes the file; the log directory is known here (rank 0 chose the version).
    func setup(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {
        guard trainer.isGlobalZero, trainer.fastDevRun == 0, !text.isEmpty else { return }
        let directory = trainer.logDir
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(directory)/config.yaml"), options: .atomic)
        } catch {
            throw LightningError.misconfiguration("could not save the configuration to \(directory)/config.yaml: \(error.localizedDescription)")
        }
    }
}
