/// metrics.csv text in CSVLogger's layout, built from a description of the run rather than
/// copied from one: `train_loss_step` every step, and once per epoch at its last step
/// `train_loss_epoch`, `train_acc`, `val_loss` and `val_acc` (in one row each, as Lightning
/// logs the training and validation epoch values in separate calls).
struct MetricsCSVSample {
    let epochs: Int
    let stepsPerEpoch: Int
    /// Shifts every value, so two runs draw different curves.
    var offset = 0.0

    static let header = ["epoch", "step", "train_acc", "train_loss_epoch", "train_loss_step", "val_acc", "val_loss"]

    var text: String {
        var lines = [Self.header.joined(separator: ",")]
        for epoch in 0..<epochs {
            for index in 0..<stepsPerEpoch {
                let step = epoch * stepsPerEpoch + index
                lines.append("\(epoch),\(step),,,\(offset + 2 / Double(step + 1)),,")
            }
            let last = (epoch + 1) * stepsPerEpoch - 1
            lines.append("\(epoch),\(last),,,,\(offset + 0.5 + Double(epoch) / Double(2 * epochs)),\(offset + 1 / Double(epoch + 2))")
            lines.append("\(epoch),\(last),\(offset + 0.4 + Double(epoch) / Double(2 * epochs)),\(offset + 1.2 / Double(epoch + 2)),,,")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
