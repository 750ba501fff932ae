/// Where training is, checkpointed so a resumed run continues from exactly this point
/// (Lightning's loop progress objects).
public struct FitProgress: Codable, Equatable, Sendable {
    /// The point inside an epoch a checkpoint can be taken at; resuming runs what follows it.
    public enum Point: String, Codable, Sendable {
        /// Before batch `batchIndex` (the normal case).
        case batchStart
        /// Batch `batchIndex` has stepped and its end hooks ran; logging and validation follow.
        case afterBatchEnd
        /// The validation after batch `batchIndex` ran; the batch's counters follow.
        case afterValidation
        /// The epoch's end hooks ran; its logging and epoch-interval schedulers follow.
        case afterEpochEnd
    }

    /// Completed epochs; the epoch in progress (Lightning's `current_epoch`).
    public var currentEpoch = 0
    /// The batch of the epoch in progress (see ``point``).
    public var batchIndex = 0
    /// Batches run over the whole fit.
    public var totalBatches = 0
    /// Optimizer steps taken (Lightning's `global_step`).
    public var globalStep = 0
    /// Batches that ended an accumulation window: the step loggers record rows at.
    public var batchesThatStepped = 0
    /// Where in the epoch the run is.
    public var point = Point.batchStart
    /// Validation runs so far.
    public var validationRuns = 0

    /// Progress at the very start.
    public init() {}
}
