import Foundation
import Lightning

/// Prints one compact line per training epoch on rank 0, after its validation:
/// `epoch 3  train_loss 0.2100  val_loss 0.1800  val_acc 0.9620`.
final class EpochSummary: Callback {
    private let output: (String) -> Void

    /// A summary written with `print` (or to `output`).
    init(output: ((String) -> Void)? = nil) {
        // fflush(nil) flushes every C stream: the same for stdout, without naming the C global.
        self.output = output ?? { print($0); fflush(nil) }
    }

    /// The epoch that ended; its training values are published after this hook, so the line is
    /// printed at the next epoch's start or when training ends.
    private var endedEpoch: Int?

    /// Notes the epoch that ended.
    func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {
        endedEpoch = trainer.currentEpoch
    }

    /// Prints the previous epoch's line.
    func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
        flush(trainer)
    }

    /// Prints the last epoch's line.
    func onTrainEnd(trainer: Trainer, module: LightningModuleBase) throws {
        flush(trainer)
    }

    private func flush(_ trainer: Trainer) {
        guard let epoch = endedEpoch, trainer.isGlobalZero else { return }
        endedEpoch = nil
        output("epoch \(epoch)  " + Self.metricsText(trainer.callbackMetrics))
    }

    /// Epoch values (`_step` values dropped, `_epoch` suffixes removed), training ones first.
    static func metricsText(_ metrics: [String: Double]) -> String {
        var epochValues: [String: Double] = [:]
        for (key, value) in metrics where !key.hasSuffix("_step") {
            epochValues[key.hasSuffix("_epoch") ? String(key.dropLast("_epoch".count)) : key] = value
        }
        let order: (String) -> Int = { $0.hasPrefix("train") ? 0 : $0.hasPrefix("val") ? 1 : 2 }
        let keys = epochValues.keys.sorted { (order($0), $0) < (order($1), $1) }
        return keys.map { "\($0) \(String(format: "%.4f", epochValues[$0]!))" }.joined(separator: "  ")
    }
}
