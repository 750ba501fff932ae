import Foundation

/// Prints the module's top-level layers with their parameter counts when `fit` starts (rank 0),
/// as Lightning's `ModelSummary`.
public final class ModelSummary: Callback {
    private let output: (String) -> Void

    /// A summary printed with `print` (or handed to `output`).
    public init(output: ((String) -> Void)? = nil) {
        self.output = output ?? { print($0) }
    }

    /// Prints the table.
    public func onFitStart(trainer: Trainer, module: LightningModuleBase) throws {
        guard trainer.isGlobalZero else { return }
        output(Self.table(for: module))
    }

    /// The summary text: one row per child module, then trainable, frozen and total counts.
    static func table(for module: Module) -> String {
        let rows = module.namedChildren().enumerated().map { (i, child) -> [String] in
            let count = child.module.parameters().reduce(0) { $0 + $1.count }
            return ["\(i)", child.name, String(describing: type(of: child.module)), compact(count), child.module.isTraining ? "train" : "eval"]
        }
        let header = ["", "Name", "Type", "Params", "Mode"]
        let widths = (0..<header.count).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 3 * (widths.count - 1))
        let parameters = module.parameters()
        let trainable = parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.count }
        let total = parameters.reduce(0) { $0 + $1.count }
        var lines = [format(header), rule] + rows.map(format) + [rule]
        lines.append("\(compact(trainable).padding(toLength: 10, withPad: " ", startingAt: 0))Trainable params")
        lines.append("\(compact(total - trainable).padding(toLength: 10, withPad: " ", startingAt: 0))Non-trainable params")
        lines.append("\(compact(total).padding(toLength: 10, withPad: " ", startingAt: 0))Total params")
        lines.append("\(String(format: "%.3f", Double(total * 4) / 1e6).padding(toLength: 10, withPad: " ", startingAt: 0))Total estimated model params size (MB)")
        return lines.joined(separator: "\n")
    }

    /// `9.0 K`, `1.2 M`, or the plain count below a thousand.
    static func compact(_ n: Int) -> String {
        if n < 1000 { return "\(n)" }
        if n < 1_000_000 { return String(format: "%.1f K", Double(n) / 1e3) }
        return String(format: "%.1f M", Double(n) / 1e6)
    }
}
