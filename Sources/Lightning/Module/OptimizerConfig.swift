/// What `configureOptimizers()` returns: one or more optimizers, each with an optional learning
/// rate scheduler (Lightning's optimizer / `lr_scheduler` dictionaries).
///
/// ```swift
/// func configureOptimizers() -> OptimizerConfig {
///     let adam = Adam(parameters(), lr: 1e-3)
///     return .init(adam, scheduler: .init(StepLR(adam, stepSize: 1, gamma: 0.5), interval: .epoch))
/// }
/// ```
public struct OptimizerConfig {
    /// One optimizer and its scheduler, if any.
    public struct Entry {
        /// The optimizer.
        public var optimizer: any Optimizer
        /// Its learning rate scheduler, if any.
        public var scheduler: LRSchedulerConfig?

        /// An optimizer with an optional scheduler.
        public init(_ optimizer: any Optimizer, scheduler: LRSchedulerConfig? = nil) {
            self.optimizer = optimizer
            self.scheduler = scheduler
        }
    }

    /// The optimizers in order (index `i` saves as `optimizer.<i>.` in checkpoints).
    public var entries: [Entry]

    /// One optimizer, optionally with a scheduler.
    public init(_ optimizer: any Optimizer, scheduler: LRSchedulerConfig? = nil) {
        entries = [Entry(optimizer, scheduler: scheduler)]
    }

    /// Several optimizers (manual optimization steps them itself).
    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// The optimizers.
    public var optimizers: [any Optimizer] { entries.map(\.optimizer) }
}

/// A scheduler with when to step it (Lightning's `lr_scheduler` dictionary).
public struct LRSchedulerConfig {
    /// When a scheduler steps.
    public enum Interval: String, Codable, Sendable {
        /// After every optimizer step.
        case step
        /// At the end of every training epoch.
        case epoch
    }

    /// The scheduler: a step-driven ``LRScheduler`` or ``ReduceLROnPlateau``.
    public var scheduler: any LearningRateScheduler
    /// Step per optimizer step or per epoch (Lightning's default: epoch).
    public var interval: Interval
    /// Steps every `frequency` intervals: epochs, or optimizer steps counted over the whole fit
    /// (as Lightning documents it; Lightning itself counts batches and restarts at each epoch).
    public var frequency: Int
    /// The metric ``ReduceLROnPlateau`` is driven by (required for it).
    public var monitor: String?
    /// Whether a missing `monitor` metric is an error (otherwise the step is skipped).
    public var strict: Bool
    /// The name `LearningRateMonitor` logs under (default `lr-<Optimizer>`).
    public var name: String?

    /// A scheduler configuration with Lightning's defaults.
    public init(_ scheduler: any LearningRateScheduler, interval: Interval = .epoch, frequency: Int = 1,
                monitor: String? = nil, strict: Bool = true, name: String? = nil) {
        usagePrecondition(frequency >= 1, "LRSchedulerConfig: frequency \(frequency) must be at least 1")
        self.scheduler = scheduler
        self.interval = interval
        self.frequency = frequency
        self.monitor = monitor
        self.strict = strict
        self.name = name
    }
}
