import Foundation
import Lightning

/// Prints one compact line per training epoch on rank 0, after its validation:
/// `epoch 3  train_loss 0.2100  val_loss 0.1800  val_acc 0.9620`.
///
/// A ``MonitoringCallback``, so it runs at the end of the epoch after the epoch's values are in
/// `callbackMetrics` (as ModelCheckpoint does): the line shows that epoch's values, a learning
/// rate included, never the next epoch's.
final class EpochSummary: MonitoringCallback {
    private let output: (String) -> Void

    /// A summary written with `print` (or to `output`).
    init(output: ((String) -> Void)? = nil) {
        // fflush(nil) flushes every C stream: the same for stdout, without naming the C global.
        self.output = output ?? { print($0); fflush(nil) }
    }

    /// Prints the epoch that ended.
    func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {
        guard trainer.isGlobalZero else { return }
        output("epoch \(trainer.currentEpoch)  " + Self.metricsText(trainer.callbackMetrics))
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
