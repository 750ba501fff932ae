import Foundation

/// Stops training after a wall-clock budget and reports the time each stage took (Lightning's
/// `Timer`; named so it does not clash with Foundation's `Timer`).
public final class TrainingTimer: Callback {
    /// The budget in seconds, or `nil` to only measure.
    public let duration: Double?
    private var starts: [Stage: Date] = [:]
    private var ends: [Stage: Date] = [:]
    private var offset: Double = 0

    /// A timer that stops `fit` after `duration` seconds (checked after every batch).
    public init(duration: Double? = nil) {
        self.duration = duration
    }

    /// Seconds `stage` ran (so far, if still running).
    public func timeElapsed(_ stage: Stage = .fit) -> Double {
        guard let start = starts[stage] else { return stage == .fit ? offset : 0 }
        return (ends[stage] ?? Date()).timeIntervalSince(start) + (stage == .fit ? offset : 0)
    }

    /// Seconds left of the budget.
    public var timeRemaining: Double? { duration.map { $0 - timeElapsed() } }

    /// Starts the clock of the stage.
    public func setup(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {
        starts[stage] = Date()
        ends[stage] = nil
    }

    /// Stops the clock of the stage.
    public func teardown(trainer: Trainer, module: LightningModuleBase, stage: Stage) throws {
        ends[stage] = Date()
    }

    /// Requests a stop once the budget is spent. Every process follows rank 0's clock, so all
    /// stop after the same batch (a rank stopping alone would leave the others waiting in a collective).
    public func onTrainBatchEnd(trainer: Trainer, module: LightningModuleBase, outputs: (any TrainingStepOutput)?, batch: Any, batchIndex: Int) throws {
        guard let duration else { return }
        var spent = timeElapsed() >= duration
        if trainer.worldSize > 1 { spent = try trainer.strategy.broadcast(spent ? "stop" : "") == "stop" }
        guard spent, !trainer.shouldStop else { return }
        trainer.shouldStop = true
        TrainerLog.info("Time limit reached. Elapsed time is \(ProgressBar.clock(timeElapsed())). Signaling Trainer to stop.")
    }

    /// The elapsed training time, so a resumed run keeps counting.
    public func stateDict() throws -> JSONValue? { .object(["time_elapsed": .number(timeElapsed())]) }

    /// Restores the elapsed time.
    public func loadStateDict(_ state: JSONValue) throws {
        offset = state["time_elapsed"]?.number ?? 0
    }
}
