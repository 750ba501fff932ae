/// When training stops: the one place `maxSteps`, `maxEpochs`, `minEpochs` / `minSteps` and a
/// requested stop (`shouldStop`, set by EarlyStopping or by the TrainingTimer that enforces
/// `maxTime`) are weighed, for the fit loop (another epoch?) and the epoch loop (another batch?).
struct StopRule: Equatable, Sendable {
    /// Epochs after which fit ends; `nil` for no limit.
    let maxEpochs: Int?
    /// Optimizer steps after which fit ends; `nil` for no limit.
    let maxSteps: Int?
    /// A requested stop waits until this many epochs have completed.
    let minEpochs: Int?
    /// A requested stop waits until this many optimizer steps have been taken.
    let minSteps: Int?

    /// Where training is, as far as stopping is concerned.
    struct State: Equatable, Sendable {
        /// Completed epochs.
        var epoch: Int
        /// Optimizer steps taken.
        var step: Int
        /// Whether a stop was requested (`shouldStop`).
        var stopRequested: Bool
    }

    /// The rule for the Trainer's arguments: -1 means no limit; with neither `maxEpochs` nor
    /// `maxSteps`, 1000 epochs (Lightning's default); a fast dev run of n batches is one epoch of
    /// at most n steps (which matters when `overfitBatches` gives it more batches).
    init(maxEpochs: Int?, maxSteps: Int?, minEpochs: Int?, minSteps: Int?, fastDevRun: Int) {
        let steps = maxSteps.flatMap { $0 >= 0 ? $0 : nil }
        if fastDevRun > 0 {
            self.maxEpochs = 1
        } else if let maxEpochs {
            self.maxEpochs = maxEpochs == -1 ? nil : maxEpochs
        } else {
            // Only a step limit replaces the default epoch limit (-1 is no step limit).
            self.maxEpochs = steps == nil ? 1000 : nil
        }
        self.maxSteps = fastDevRun > 0 ? fastDevRun : steps
        self.minEpochs = minEpochs
        self.minSteps = minSteps
    }

    /// Whether `minEpochs` and `minSteps` allow an early stop now.
    func minimumsMet(_ state: State) -> Bool {
        if let minEpochs, state.epoch < minEpochs { return false }
        if let minSteps, state.step < minSteps { return false }
        return true
    }

    /// Whether a requested stop takes effect now.
    func honorsRequestedStop(_ state: State) -> Bool {
        state.stopRequested && minimumsMet(state)
    }

    /// Whether a requested stop waits for the minimums (training goes on, and says so once).
    func defersRequestedStop(_ state: State) -> Bool {
        state.stopRequested && !minimumsMet(state)
    }

    /// Whether the epoch in progress ends before its next batch: max steps reached, or a
    /// requested stop the minimums allow.
    func endsEpoch(_ state: State) -> Bool {
        if let maxSteps, state.step >= maxSteps { return true }
        return honorsRequestedStop(state)
    }

    /// Why fit ends before another epoch, or `nil` when one runs; `trainingBatches` is the
    /// epoch's batch count (none: nothing to train).
    func fitStop(_ state: State, trainingBatches: Int) -> FitStop? {
        if trainingBatches == 0 { return .noTrainingBatches }
        if let maxSteps, state.step >= maxSteps { return .maxSteps(maxSteps) }
        if let maxEpochs, state.epoch >= maxEpochs { return .maxEpochs(maxEpochs) }
        return honorsRequestedStop(state) ? .requested : nil
    }
}

/// Why a fit ends.
enum FitStop: Equatable, Sendable {
    case noTrainingBatches, maxSteps(Int), maxEpochs(Int), requested

    /// Lightning's line for the limits it reports (a requested stop is explained by whoever requested it).
    var message: String? {
        switch self {
        case .maxSteps(let n): return "`Trainer.fit` stopped: `maxSteps=\(n)` reached."
        case .maxEpochs(let n): return "`Trainer.fit` stopped: `maxEpochs=\(n)` reached."
        case .noTrainingBatches, .requested: return nil
        }
    }
}

extension Trainer {
    /// The stop rule for this trainer's arguments.
    var stopRule: StopRule {
        StopRule(maxEpochs: maxEpochs, maxSteps: maxSteps, minEpochs: minEpochs, minSteps: minSteps, fastDevRun: fastDevRun)
    }

    /// Where training is, for the stop rule.
    var stopState: StopRule.State {
        StopRule.State(epoch: currentEpoch, step: globalStep, stopRequested: shouldStop)
    }
}
