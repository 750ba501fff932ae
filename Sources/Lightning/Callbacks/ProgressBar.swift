import Foundation

/// Shows training progress on rank 0 (Lightning's `TQDMProgressBar`): on a terminal one line per
/// epoch redrawn in place with it/s, ETA and the progress-bar metrics. When standard error is not
/// a terminal (a log file, a batch job, the pipes `mpirun` gives its ranks) it draws nothing: the
/// loggers (and the CLI's one line per epoch) record the run. `isTerminal: false` asks for one
/// plain line per epoch anyway.
///
/// It is a ``MonitoringCallback`` so that its end-of-epoch line comes after the module's
/// `onTrainEpochEnd` and shows the epoch's values (`train_loss_epoch`).
public final class ProgressBar: MonitoringCallback {
    /// Redraw at most every this many batches.
    public let refreshRate: Int
    private let isTerminal: Bool
    /// Whether it writes at all: on a terminal, or when `isTerminal` was given.
    private let draws: Bool
    private let output: (String) -> Void
    private var epochStart = Date()
    private var lastDraw = -1

    /// A progress bar writing to standard error; `isTerminal` defaults to whether stderr is a TTY
    /// (and with no TTY it then draws nothing).
    public init(refreshRate: Int = 1, isTerminal: Bool? = nil, output: ((String) -> Void)? = nil) {
        self.refreshRate = max(1, refreshRate)
        let terminal = isTerminal ?? (isatty(STDERR_FILENO) != 0)
        self.isTerminal = terminal
        self.draws = isTerminal != nil || terminal
        self.output = output ?? { text in FileHandle.standardError.write(Data(text.utf8)) }
    }

    /// Notes when the epoch began.
    public func onTrainEpochStart(trainer: Trainer, module: LightningModuleBase) throws {
        epochStart = Date()
        lastDraw = -1
    }

    /// Redraws the epoch's line (terminal only).
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        guard draws, trainer.isGlobalZero, isTerminal, batchIndex - lastDraw >= refreshRate || batchIndex + 1 == trainer.numTrainingBatches else { return }
        lastDraw = batchIndex
        output("\r" + line(trainer, done: batchIndex + 1) + "\u{1B}[K")
    }

    /// Prints the finished epoch's line.
    public func onTrainEpochEnd(trainer: Trainer, module: LightningModuleBase) throws {
        guard draws, trainer.isGlobalZero else { return }
        output((isTerminal ? "\r" : "") + line(trainer, done: trainer.numTrainingBatches) + (isTerminal ? "\u{1B}[K\n" : "\n"))
    }

    /// `Epoch 2: 28/28 [00:01<00:00, 25.3it/s, train_loss_step=0.312, val_loss=0.298]`.
    func line(_ trainer: Trainer, done: Int) -> String {
        let total = trainer.numTrainingBatches
        let elapsed = Date().timeIntervalSince(epochStart)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        var parts = ["\(Self.clock(elapsed))<\(Self.clock(remaining))", String(format: "%.2fit/s", rate)]
        for key in trainer.progressBarMetrics.keys.sorted() {
            parts.append("\(key)=\(Self.short(trainer.progressBarMetrics[key]!))")
        }
        return "Epoch \(trainer.currentEpoch): \(done)/\(total) [\(parts.joined(separator: ", "))]"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%02d:%02d", s / 60, s % 60)
    }

    static func short(_ value: Double) -> String { String(format: "%.3g", value) }
}
