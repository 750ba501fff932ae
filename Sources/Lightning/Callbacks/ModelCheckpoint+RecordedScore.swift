/// The score a ModelCheckpoint recorded in each checkpoint it saved, read back from the file.
extension ModelCheckpoint {
    /// A monitored value and whether lower or higher is better.
    struct RecordedScore: Equatable, Sendable {
        let value: Double
        let mode: MonitorMode
    }

    /// The monitored value at the save that wrote `checkpoint`, with the callback's mode, or
    /// `nil` when no ModelCheckpoint monitored anything.
    static func recordedScore(in checkpoint: Checkpoint) -> RecordedScore? {
        guard case .object(let states)? = checkpoint.metadata[CheckpointKey.callbacks] else { return nil }
        // Callback states are keyed by type first (Lightning's state keys); the values are structured.
        for (key, value) in states.sorted(by: { $0.key < $1.key }) where key.hasPrefix("ModelCheckpoint{") {
            guard let state = try? value.decode(as: State.self), let score = state.current_score else { continue }
            return RecordedScore(value: score, mode: state.mode.flatMap(MonitorMode.init(rawValue:)) ?? inferredMode(state))
        }
        return nil
    }

    /// The mode of a state saved before the mode was recorded: the kept worst (k-th) value lies on
    /// the worse side of the best, or is still the mode's worst; Lightning's default otherwise.
    private static func inferredMode(_ state: State) -> MonitorMode {
        guard let best = state.best_model_score, state.kth_value != best else { return .min }
        return state.kth_value > best ? .min : .max
    }
}
